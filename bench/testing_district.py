"""A district of N persons written straight into PostgreSQL with COPY, for the testing benchmarks
and the district pages (bench/district_data.py: 2,000,000 persons in 30 streets).

    from testing_district import setup_django; setup_django(); ensure_district(1_000_000)

20 streets (or `streets`) of 15 communities, 10 grids per community, 10 buildings per grid,
households of 1–5 persons. Sealed fields are dummies; names carry their pinyin search keys;
ID-number and phone hashes are real blind indexes of valid, distinct resident ID numbers (GB 11643
check digit) and mobile numbers, so imports match as they would in production. The database is
bench/out's own: DATABASE_URL defaults to
postgres://postgres@127.0.0.1:5432/wangge_bench_testing (created when missing).
"""

import functools
import os
import random
import sys
import time
from collections.abc import Iterable, Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/wangge_bench_testing"
STREETS, COMMUNITIES, GRIDS, BUILDINGS = 20, 15, 10, 10
AREAS = ("330102", "330103", "330104", "330105", "330106", "330108", "330109", "330110")
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉兰萍建华红梅鑫宇浩然子涵欣怡梓轩一诺思远雨泽佳琪"


def setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wangge.settings")
    os.environ.setdefault("DATABASE_URL", DEFAULT_URL)
    os.environ.setdefault("WANGGE_VAR_DIR", str(OUT / "testing-var"))
    _create_database(os.environ["DATABASE_URL"])
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _create_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0].replace("postgres://", "postgresql://") + "/postgres"
    with psycopg.connect(admin, autocommit=True) as connection:
        if not connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')


def id_number(index: int) -> str:
    """A distinct valid resident ID number for each index below 26,000,000."""
    from wangge.core.identity import gb11643_check_digit

    sequence, day = index % 1000, index // 1000
    born = date(1940, 1, 1) + timedelta(days=(day * 26 + sequence % 26) % 29_000)
    first17 = f"{AREAS[day % len(AREAS)]}{born:%Y%m%d}{sequence:03d}"
    return first17 + gb11643_check_digit(first17)


def phone(index: int) -> str:
    return f"1{3 + index % 7}{index:09d}"


def name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


@functools.cache
def search_keys(name: str) -> tuple[str, str]:
    """The name's full pinyin and initials, as Person.set_name stores them (names repeat)."""
    from wangge.people.pinyin import pinyin_keys

    return pinyin_keys(name)


def copy_rows(model: Any, rows: Iterable[dict[str, Any]]) -> int:
    """COPY dicts into a model's table; columns not given take the field's default (or blank)."""
    from django.db import connection

    fields = model._meta.concrete_fields
    now = datetime.now().astimezone()

    def fallback(field: Any) -> Any:
        if field.has_default():
            return field.get_default()
        if field.null:
            return None
        if field.get_internal_type() == "DateTimeField":
            return now
        return ""

    defaults = {field.column: fallback(field) for field in fields}
    columns = [field.column for field in fields]
    quote = connection.ops.quote_name
    sql = f"COPY {quote(model._meta.db_table)} ({', '.join(quote(c) for c in columns)}) FROM STDIN"
    count = 0
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row([row.get(column, defaults[column]) for column in columns])
            count += 1
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('{model._meta.db_table}', 'id'), "
            f"(SELECT COALESCE(MAX(id), 1) FROM {quote(model._meta.db_table)}))"
        )
    return count


def _persons(total: int, households: list[tuple[int, int]], seed: int) -> Iterator[dict[str, Any]]:
    from wangge.core import crypto
    from wangge.core.masking import mask_id_number, mask_phone

    rng = random.Random(seed)
    slot = filled = 0
    for index in range(total):
        household_id, size = households[slot]
        number, mobile = id_number(index), phone(index)
        given = name(rng)
        full, initials = search_keys(given)
        yield {
            "id": index + 1,
            "name": given,
            "name_pinyin": full,
            "name_initials": initials,
            "id_number_sealed": "x",
            "id_number_hash": crypto.blind_index(number),
            "id_number_masked": mask_id_number(number),
            "id_last4": number[-4:],
            "id_last6": number[-6:],
            "birth_date": date(int(number[6:10]), int(number[10:12]), int(number[12:14])),
            "sex": "M" if int(number[16]) % 2 else "F",
            "phone_sealed": "x",
            "phone_hash": crypto.blind_index(mobile),
            "phone_masked": mask_phone(mobile),
            "phone_last4": mobile[-4:],
            "household_id": household_id,
            "status": "present" if rng.random() > 0.03 else "away",
        }
        filled += 1
        if filled == size:
            slot, filled = (slot + 1) % len(households), 0


def ensure_district(persons: int, seed: int = 1, streets: int = STREETS) -> dict[str, Any]:
    """Create the district of `streets` streets unless the database already holds exactly `persons`
    persons."""
    from django.db import connection, transaction

    from wangge.people.models import Person
    from wangge.regions.models import (
        Building,
        Community,
        Compound,
        District,
        Grid,
        Household,
        Street,
    )

    existing = Person.objects.count()
    if existing == persons:
        return {"generated": False}
    if existing:
        sys.exit(f"the bench database holds {existing} persons, not {persons}: drop it first")
    started = time.perf_counter()
    rng = random.Random(seed)
    per_grid = max(persons // (streets * COMMUNITIES * GRIDS), 1)
    with transaction.atomic():
        district = District.objects.create(name="基准区", code="330199")
        street_rows = Street.objects.bulk_create(
            Street(district=district, name=f"基准街道{s + 1:02d}", code=f"330199{s + 1:03d}")
            for s in range(streets)
        )
        communities = Community.objects.bulk_create(
            Community(street=street, name=f"第{c + 1}社区")
            for street in street_rows
            for c in range(COMMUNITIES)
        )
        grids = Grid.objects.bulk_create(
            Grid(community=community, name=f"第{g + 1}网格")
            for community in communities
            for g in range(GRIDS)
        )
        compounds = Compound.objects.bulk_create(
            Compound(community=community, name=f"{community.name}小区") for community in communities
        )
        compound_of = {compound.community_id: compound for compound in compounds}
        buildings = Building.objects.bulk_create(
            Building(
                compound=compound_of[grid.community_id], grid=grid, name=f"{grid.pk}-{b + 1}幢"
            )
            for grid in grids
            for b in range(BUILDINGS)
        )
        households: list[tuple[int, int]] = []
        rows: list[dict[str, Any]] = []
        for building in buildings:
            people = 0
            room = 0
            while people < per_grid // BUILDINGS:
                room += 1
                size = rng.choice((1, 2, 2, 3, 3, 3, 4, 5))
                rows.append(
                    {
                        "id": len(rows) + 1,
                        "building_id": building.pk,
                        "grid_id": building.grid_id,
                        "unit": "1",
                        "floor": room // 4 + 1,
                        "room": f"{room // 4 + 1}{room % 4 + 1:02d}",
                        "kind": "owner",
                    }
                )
                households.append((len(rows), size))
                people += size
        copy_rows(Household, rows)
        copy_rows(Person, _persons(persons, households, seed))
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    return {
        "generated": True,
        "seconds": round(time.perf_counter() - started, 1),
        "streets": streets,
        "grids": len(grids),
        "households": len(households),
    }
