"""Roster import benchmark: ours end to end vs. the raw-insert limit vs. django-import-export.

    .venv/bin/python bench/import_roster.py                # 100,000 rows; import-export on 20,000
    .venv/bin/python bench/import_roster.py --rows 20000 --iexport-rows 20000

Generates a realistic roster .xlsx (bench/make_roster.py: Faker zh_CN, seed 1, valid ID numbers),
then measures, each in its own subprocess on its own empty SQLite database under bench/out/ (so peaks
do not mix and var/ is never touched):

- ours: `roster_import_file` end to end — read, validate, match, write persons, households,
  areas, tag links and import records, in one transaction;
- ours_first / ours_again: the same import once more (ours_first, a second sample of ours), then
  the same file again on that database in a new process (every row unchanged: read, check, match);
- raw_bulk_create: the same already-parsed rows (parsing not timed) written with Django's
  bulk_create into the same tables (households, persons, tag links), no validation, no matching:
  the limit the issue names;
- raw_executemany: the same rows written with one prepared INSERT per table (the way our writer
  inserts): the floor of this database and schema;
- import_export: django-import-export 4 importing the same kind of file into the person table with
  a minimal ModelResource (name, ID number as the import key, birth date, ethnicity, native
  place), inside one transaction. It is slow, so it runs on --iexport-rows (default 20,000) rows;
  ours runs on that file too for a like-for-like ratio.

With --postgres URL, ours also runs on PostgreSQL (database wangge_bench_import, dropped and made
afresh). Prints one JSON object: rows per second (wall clock and per CPU second), seconds, peak RSS (MB) of
each subprocess, and the ratios. Benchmarks assert nothing.
"""

import argparse
import json
import os
import platform
import resource
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out" / "import-roster"
STREET = "江南街道"
PG_DATABASE = "wangge_bench_import"
CPU = "rows_per_cpu_second"
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]


# Child side ------------------------------------------------------------------------------------
def _setup(var: Path, postgres: str | None, fresh: bool) -> None:
    if fresh and var.exists():
        shutil.rmtree(var)
    var.mkdir(parents=True, exist_ok=True)
    os.environ["WANGGE_VAR_DIR"] = str(var)
    os.environ.pop("DATABASE_URL", None)
    if postgres and fresh:
        import psycopg

        with psycopg.connect(f"{postgres}/postgres", autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {PG_DATABASE}")
            admin.execute(f"CREATE DATABASE {PG_DATABASE}")
    if postgres:
        os.environ["DATABASE_URL"] = f"{postgres}/{PG_DATABASE}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "wangge.settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _ours(path: Path) -> int:
    from wangge.people.importing.service import roster_import_file

    outcome = roster_import_file(path=path, street_name=STREET)
    return sum(outcome.counts.values())


def _parsed_rows(path: Path) -> list:
    from wangge.people.importing.pipeline import parse_file

    parsed = parse_file(path, path.name)
    assert not parsed.rejections, parsed.rejections[:3]
    return parsed.rows


def _areas(rows: list) -> dict:
    """Street, communities, grids, compounds and buildings, created untimed; building key → pk."""
    from wangge.regions.models import Building, Community, Compound, Grid, Street

    street = Street.objects.create(name=STREET)
    communities, grids, compounds, buildings = {}, {}, {}, {}
    for row in rows:
        community, compound, building = row.place[:3]
        if community not in communities:
            communities[community] = Community.objects.create(street=street, name=community)
        if (community, row.grid) not in grids:
            grids[(community, row.grid)] = Grid.objects.create(
                community=communities[community], name=row.grid
            )
        if (community, compound) not in compounds:
            compounds[(community, compound)] = Compound.objects.create(
                community=communities[community], name=compound
            )
        if row.place[:3] not in buildings:
            buildings[row.place[:3]] = Building.objects.create(
                compound=compounds[(community, compound)],
                grid=grids[(community, row.grid)],
                name=building,
            )
    return {"grids": grids, "buildings": buildings}


def _raw(rows: list, areas: dict, executemany: bool) -> int:
    """Households, persons and tag links from parsed rows; no validation, no matching."""
    from django.db import transaction

    from wangge.people.importing import bulk
    from wangge.people.importing.writer import StoredForms
    from wangge.people.models import Person, Tag
    from wangge.regions.models import Household

    tag_ids = dict(Tag.objects.values_list("code", "pk"))
    with transaction.atomic():
        households: dict = {}
        for row in rows:
            if row.place not in households:
                households[row.place] = Household(
                    building=areas["buildings"][row.place[:3]],
                    grid=areas["grids"][(row.place[0], row.grid)],
                    unit=row.place[3],
                    floor=row.floor,
                    room=row.place[4],
                )
        Household.objects.bulk_create(list(households.values()))
        through = Person.tags.through
        if not executemany:
            persons = []
            for row in rows:
                person = Person(
                    household=households[row.place],
                    id_type=row.id_key[0],
                    sex=row.sex,
                    birth_date=row.birth_date,
                    ethnicity=row.ethnicity or "",
                    residence_type=row.residence_type or Person.ResidenceType.REGISTERED,
                    relation=row.relation or Person.Relation.OTHER,
                    native_place=row.native_place or "",
                    note=row.note or "",
                )
                person.set_name(row.name)
                person.set_id_number(row.id_number)
                person.set_phone(row.phone or "")
                persons.append(person)
            Person.objects.bulk_create(persons)
            through.objects.bulk_create(
                through(person_id=person.pk, tag_id=tag_ids[code])
                for person, row in zip(persons, rows, strict=True)
                for code in (row.tags or ())
            )
            return len(rows)
        base = bulk.defaults(Person)

        def person_row(row: object) -> dict:
            stored = StoredForms()
            stored.set_name(row.name)
            stored.set_id_number(row.id_number)
            stored.set_phone(row.phone or "")
            return {
                **stored.columns(),
                "household_id": households[row.place].pk,
                "id_type": row.id_key[0],
                "sex": row.sex,
                "birth_date": row.birth_date,
                "ethnicity": row.ethnicity or "",
                "residence_type": row.residence_type or Person.ResidenceType.REGISTERED,
                "relation": row.relation or Person.Relation.OTHER,
                "native_place": row.native_place or "",
                "note": row.note or "",
            }

        bulk.insert(Person, (person_row(row) for row in rows), base)
        pks = dict(Person.objects.values_list("id_number_hash", "pk"))
        bulk.insert(
            through,
            (
                {"person_id": pks[row.id_key[1]], "tag_id": tag_ids[code]}
                for row in rows
                for code in (row.tags or ())
            ),
            bulk.defaults(through),
        )
    return len(rows)


def _import_export(path: Path) -> int:
    import tablib
    from import_export import fields, resources

    from wangge.people.models import Person

    class PersonResource(resources.ModelResource):
        name = fields.Field(attribute="name", column_name="姓名")
        id_number_hash = fields.Field(attribute="id_number_hash", column_name="身份证号")
        birth_date = fields.Field(attribute="birth_date", column_name="出生日期")
        ethnicity = fields.Field(attribute="ethnicity", column_name="民族")
        native_place = fields.Field(attribute="native_place", column_name="户籍地")

        class Meta:
            model = Person
            fields = ("name", "id_number_hash", "birth_date", "ethnicity", "native_place")
            import_id_fields = ("id_number_hash",)

    with path.open("rb") as handle:
        dataset = tablib.Dataset().load(handle, format="xlsx", skip_lines=1)
    result = PersonResource().import_data(dataset, use_transactions=True, raise_errors=True)
    return result.totals["new"] + result.totals["update"]


def _warm_up() -> None:
    """What a running server has loaded already: the modules, and pypinyin's dictionaries, which it
    reads on first use (about 1 s)."""
    import import_export.resources  # noqa: F401
    import tablib  # noqa: F401

    from wangge.people.importing import service  # noqa: F401
    from wangge.people.pinyin import pinyin_keys

    pinyin_keys("预热")


def child(measure: str, path: Path, postgres: str | None) -> None:
    # ours_again runs on the database ours_first left (a separate process, so peaks do not mix)
    var = OUT / ("var-ours_again" if measure.startswith("ours_") else f"var-{measure}")
    _setup(var, postgres, fresh=measure != "ours_again")
    prepared = None
    if measure.startswith("raw"):
        rows = _parsed_rows(path)
        prepared = (rows, _areas(rows))
    _warm_up()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started, cpu = time.perf_counter(), time.process_time()
    if measure in {"ours", "ours_first", "ours_again"}:
        rows_done = _ours(path)
    elif measure == "raw_bulk_create":
        rows_done = _raw(*prepared, executemany=False)
    elif measure == "raw_executemany":
        rows_done = _raw(*prepared, executemany=True)
    else:
        rows_done = _import_export(path)
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu
    # the spreadsheet is parsed in child processes (core.sheet_process): their CPU counts too
    parsers = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu_seconds += parsers.ru_utime + parsers.ru_stime - before.ru_utime - before.ru_stime
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {
                "rows": rows_done,
                "seconds": round(seconds, 2),
                "cpu_seconds": round(cpu_seconds, 2),
                "rows_per_second": round(rows_done / seconds),
                "rows_per_cpu_second": round(rows_done / cpu_seconds),
                "peak_rss_mb": round(peak),
            }
        )
    )


# Parent side -----------------------------------------------------------------------------------
def measure(name: str, path: Path, postgres: str | None = None) -> dict:
    command = [sys.executable, __file__, "--child", name, "--file", str(path)]
    if postgres:
        command += ["--postgres", postgres]
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    if done.returncode:
        return {"error": done.stderr.strip().splitlines()[-1]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--iexport-rows", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--postgres",
        help="also run ours on PostgreSQL, e.g. postgres://postgres@127.0.0.1:5432 "
        f"(database {PG_DATABASE} is dropped and created)",
    )
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--file", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.file, args.postgres)
        return
    from make_roster import make_roster

    big = make_roster(args.rows, args.seed, OUT / f"roster-{args.rows}-{args.seed}.xlsx")
    small = make_roster(
        args.iexport_rows, args.seed, OUT / f"roster-{args.iexport_rows}-{args.seed}.xlsx"
    )
    load_at_start = [round(x, 2) for x in os.getloadavg()]
    results = {
        "ours": measure("ours", big),
        "ours_first": measure("ours_first", big),
        "ours_again": measure("ours_again", big),
        "raw_bulk_create": measure("raw_bulk_create", big),
        "raw_executemany": measure("raw_executemany", big),
        "ours_on_iexport_file": measure("ours", small),
        "import_export": measure("import_export", small),
    }
    if args.postgres:
        results["ours_postgres"] = measure("ours", big, args.postgres)

    def ratio(ours: str, other: str, digits: int, key: str = "rows_per_second") -> float | None:
        if key not in results[ours] or key not in results[other]:
            return None
        return round(results[ours][key] / results[other][key], digits)

    print(
        json.dumps(
            {
                "rows": args.rows,
                "iexport_rows": args.iexport_rows,
                "machine": {
                    "cpus": os.cpu_count(),
                    "python": platform.python_version(),
                    "sqlite": sqlite3.sqlite_version,
                    "load_average_at_start": load_at_start,
                    "load_average_at_end": [round(x, 2) for x in os.getloadavg()],
                },
                **results,
                "ratios": {
                    "ours_vs_raw_bulk_create": ratio("ours", "raw_bulk_create", 2),
                    "ours_vs_raw_executemany": ratio("ours", "raw_executemany", 2),
                    "ours_vs_import_export": ratio("ours_on_iexport_file", "import_export", 1),
                },
                "ratios_per_cpu_second": {
                    "ours_vs_raw_bulk_create": ratio("ours", "raw_bulk_create", 2, CPU),
                    "ours_vs_raw_executemany": ratio("ours", "raw_executemany", 2, CPU),
                    "ours_vs_import_export": ratio("ours_on_iexport_file", "import_export", 1, CPU),
                },
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
