"""The data of the verification-list benchmark (bench/verification_import.py): a register — the
seed_demo street on SQLite, or a street of N persons written with COPY into PostgreSQL — with a
grid worker on every grid, and a list as upstream sends it."""

import argparse
import os
import random
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
PG_STREET = "基准街道"
DEMO_STREET = "江南街道"
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = (
    "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚华玉萍建红梅鑫宇浩然子涵欣怡梓轩一诺思远雨泽佳琪"
)


def setup(database_url: str | None) -> bool:
    """Django on the bench database; True when it is PostgreSQL."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wangge.settings")
    os.environ.setdefault("WANGGE_VAR_DIR", str(OUT / "command-var"))
    # Synthetic data only: a fixed key keeps the register's blind indexes valid across runs.
    os.environ.setdefault("WANGGE_FIELD_KEY", "wangge-bench-command-synthetic-data")
    if database_url:
        os.environ["DATABASE_URL"] = database_url
        _create_pg_database(database_url)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return bool(database_url)


def _create_pg_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0].replace("postgres://", "postgresql://") + "/postgres"
    with psycopg.connect(admin, autocommit=True) as connection:
        found = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if not found.fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')


def _copy(model: Any, rows: Any) -> None:
    """COPY dicts into a model's table; missing columns take the field's default (or blank)."""
    from django.db import connection

    now = datetime.now().astimezone()
    fields = model._meta.concrete_fields

    def fallback(field: Any) -> Any:
        if field.has_default():
            return field.get_default()
        if field.null:
            return None
        return now if field.get_internal_type() == "DateTimeField" else ""

    defaults = {f.column: fallback(f) for f in fields}
    columns = [f.column for f in fields]
    quote = connection.ops.quote_name
    sql = f"COPY {quote(model._meta.db_table)} ({', '.join(map(quote, columns))}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row([row.get(c, defaults[c]) for c in columns])
    with connection.cursor() as cursor:
        table = model._meta.db_table
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
            f"(SELECT COALESCE(MAX(id), 1) FROM {quote(table)}))"
        )


def _person_rows(total: int, households: list[int], rng: random.Random) -> Any:
    from wangge.core import crypto
    from wangge.core.identity import gb11643_check_digit
    from wangge.core.masking import mask_id_number, mask_phone
    from wangge.people.pinyin import pinyin_keys

    keys: dict[str, tuple[str, str]] = {}
    slot, left = 0, rng.randint(1, 5)
    for index in range(total):
        name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
        if name not in keys:
            keys[name] = pinyin_keys(name)
        born = date(1940, 1, 1) + timedelta(days=(index // 100) % 25_000)
        first17 = f"3301{index % 100:02d}{born:%Y%m%d}{index // 2_500_000:03d}"
        number = first17 + gb11643_check_digit(first17)
        mobile = f"1{3 + index % 7}{index:09d}"
        yield {
            "id": index + 1,
            "name": name,
            "name_pinyin": keys[name][0],
            "name_initials": keys[name][1],
            "id_type": "resident",
            "id_number_sealed": crypto.seal(number),
            "id_number_hash": crypto.blind_index(number),
            "id_number_masked": mask_id_number(number),
            "id_last4": number[-4:],
            "id_last6": number[-6:],
            "birth_date": born,
            "sex": "M" if int(number[16]) % 2 else "F",
            "phone_sealed": crypto.seal(mobile),
            "phone_hash": crypto.blind_index(mobile),
            "phone_masked": mask_phone(mobile),
            "phone_last4": mobile[-4:],
            "household_id": households[slot],
        }
        left -= 1
        if left == 0:
            slot, left = (slot + 1) % len(households), rng.randint(1, 5)


def copy_street(persons: int, seed: int) -> None:
    """One street-sized register of `persons` persons, straight into PostgreSQL with COPY."""
    from django.db import connection, transaction

    from wangge.people.models import Person
    from wangge.regions.models import Building, Community, Compound, Grid, Household, Street

    rng = random.Random(seed)
    buildings_needed = max(persons // 160, 1)  # 60 households of ~2.7 persons per building
    communities_n = max(buildings_needed // 210, 1)
    with transaction.atomic():
        street = Street.objects.create(name=PG_STREET, code="330199001")
        communities = Community.objects.bulk_create(
            Community(street=street, name=f"第{c + 1}社区") for c in range(communities_n)
        )
        grids = Grid.objects.bulk_create(
            Grid(community=c, name=f"第{g + 1}网格") for c in communities for g in range(30)
        )
        compounds = Compound.objects.bulk_create(
            Compound(community=c, name=f"{c.name}{k + 1}号小区")
            for c in communities
            for k in range(21)
        )
        by_community: dict[int, list] = {}
        for compound in compounds:
            by_community.setdefault(compound.community_id, []).append(compound)
        buildings = []
        for grid in grids:
            for b in range(7):
                compound = by_community[grid.community_id][(grid.pk * 7 + b) // 10 % 21]
                buildings.append(
                    Building(compound=compound, grid=grid, name=f"{grid.pk}{b + 1:02d}幢")
                )
        buildings = Building.objects.bulk_create(buildings)
        rows = []
        for building in buildings:
            for unit in (1, 2):
                for floor in range(1, 16):
                    for door in (1, 2):
                        rows.append(
                            {
                                "id": len(rows) + 1,
                                "building_id": building.pk,
                                "grid_id": building.grid_id,
                                "unit": str(unit),
                                "floor": floor,
                                "room": f"{floor}{door:02d}",
                                "kind": "owner",
                            }
                        )
        _copy(Household, rows)
        _copy(Person, _person_rows(persons, [row["id"] for row in rows], rng))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def ensure_staff(street: Any) -> None:
    """A grid worker on every grid and three tracers, as a street has them."""
    from wangge.accounts.models import RoleAssignment, User
    from wangge.core.roles import Role
    from wangge.regions.models import Grid

    staffed = set(
        RoleAssignment.objects.filter(role=Role.GRID_WORKER).values_list("grid_id", flat=True)
    )
    grids = list(Grid.objects.filter(community__street=street).exclude(pk__in=staffed))
    users = User.objects.bulk_create(
        User(username=f"bench-grid-{g.pk}", full_name=f"网格员{g.pk}", password="!") for g in grids
    )
    RoleAssignment.objects.bulk_create(
        RoleAssignment(user=u, role=Role.GRID_WORKER, grid=g)
        for u, g in zip(users, grids, strict=True)
    )
    if not RoleAssignment.objects.filter(role=Role.TRACER, street=street).exists():
        tracers = User.objects.bulk_create(
            User(username=f"bench-tracer-{i}", password="!") for i in range(3)
        )
        RoleAssignment.objects.bulk_create(
            RoleAssignment(user=u, role=Role.TRACER, street=street) for u in tracers
        )


def write_list(street: Any, rows: int, path: Path, seed: int) -> None:
    """A list as upstream sends it: mostly valid IDs, some phone+name, some name+address, some
    unknown persons, invalid IDs, duplicates and rows nobody can check."""
    import openpyxl

    from conftest import make_id_number
    from wangge.people.models import Person

    rng = random.Random(seed)
    ids = list(
        Person.objects.filter(household__grid__community__street=street).values_list(
            "pk", flat=True
        )
    )
    picked = rng.sample(ids, min(rows, len(ids)))
    people = Person.objects.in_bulk(picked)
    households = {
        p.pk: str(p.household)
        for p in Person.objects.filter(pk__in=picked).select_related(
            "household__building__compound"
        )
    }
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("协查名单")
    sheet.append(["关于协查相关人员的通知（基准）"])
    sheet.append(["序号", "姓名", "证件号码", "手机号", "地址", "核查原因", "来源", "反馈时限"])
    written: list[list] = []
    for n in range(rows):
        person = people[picked[n % len(picked)]]
        kind = rng.random()
        number, phone = person.id_number, person.phone
        if kind < 0.70:
            cells = [person.name, number, phone, ""]
        elif kind < 0.82:
            cells = [person.name, "", phone, ""]
        elif kind < 0.90:
            cells = [person.name, "", "", households[person.pk]]
        elif kind < 0.93:
            cells = [person.name, number[:17] + ("0" if number[17] != "0" else "1"), phone, ""]
        elif kind < 0.98:
            cells = [
                "外来" + person.name,
                make_id_number(n % 500, born=date(1991, 2, 3), area="110101"),
                "",
                "",
            ]
        elif kind < 0.99 and written:
            cells = list(rng.choice(written)[1:5])
        else:
            cells = ["", "", "", ""]
        row = [n + 1, *cells, rng.choice(["密接", "次密接", "时空伴随"]), "省流调专班", ""]
        written.append(row)
        sheet.append(row)
    book.save(path)


def prepare(args: argparse.Namespace, postgres: bool) -> dict[str, Any]:
    from django.core.management import call_command

    from wangge.people.models import Person
    from wangge.regions.models import Street

    started = time.perf_counter()
    existing = Person.objects.count()
    if existing != args.persons:
        if existing:
            sys.exit(
                f"the bench database holds {existing} persons, not {args.persons}: drop it first"
            )
        if postgres:
            copy_street(args.persons, args.seed)
        else:
            with open(os.devnull, "w") as quiet:
                call_command(
                    "seed_demo",
                    persons=args.persons,
                    seed=args.seed,
                    register_only=True,
                    stdout=quiet,
                )
    street = Street.objects.get(name=PG_STREET if postgres else DEMO_STREET)
    ensure_staff(street)
    register_seconds = time.perf_counter() - started
    started = time.perf_counter()
    write_list(street, args.rows, list_path(args), args.seed)
    return {
        "register_seconds": round(register_seconds, 1),
        "list_seconds": round(time.perf_counter() - started, 1),
    }


def list_path(args: argparse.Namespace) -> Path:
    OUT.mkdir(parents=True, exist_ok=True)
    return OUT / f"verification-{args.rows}-of-{args.persons}.xlsx"
