"""The district of the district-pages benchmark (bench/district_pages.py), in PostgreSQL.

The database `bench_district` on postgres://postgres@127.0.0.1:5432 (created when missing) is built
once and reused: the register of bench/testing_district.py (COPY; 30 streets of 15 communities,
4,500 grids, 45,000 buildings, **2,000,000 persons** with real blind indexes), then, set-based with
`INSERT … SELECT` (bench/reports_data.py's `insert`), what the pages read, around TODAY (the day the
activity is first built, kept in the database so a later run reads the same days):

- a gate per compound (450) and a scan for one person in two on each of the 3 days to TODAY
  (about 3 million scans), at the gate of the person's compound, 0.4 % refused;
- one person in 100 under an active measure (7 or 14 days, started over the last 7 days), its
  check-in slots from its start to TODAY (08:00 done, 16:00 open on TODAY), the household coloured;
- a nucleic round a street (yesterday 07:00 to TODAY 22:00), a negative result for 90 % of
  the present persons (the untested list holds the other 10 %, about 6,500 a street);
- staff: a commander a street (`bench-street-NN`) and a district admin (`bench-district`);
- the daily report's snapshots of every street for the day before TODAY and for TODAY;
- the persons of street 1 re-sealed with their real ID numbers and phones, so that its export and
  its import (bench/district_jobs.py) read and write the register as production does.
"""

import os
import sys
from datetime import date, datetime, timedelta
from time import perf_counter
from typing import Any
from zoneinfo import ZoneInfo

from reports_data import insert, local
from testing_district import OUT, ensure_district, id_number, phone, setup_django

DATABASE_URL = "postgres://postgres@127.0.0.1:5432/bench_district"
VAR = OUT / "district-var"
PERSONS, STREETS = 2_000_000, 30
ZONE = ZoneInfo("Asia/Shanghai")
PASSWORD = "bench-district-pw"


def ready() -> None:
    """Django on bench_district with the bench's own var folder (its field key and secret)."""
    os.environ["DATABASE_URL"] = DATABASE_URL
    os.environ["WANGGE_VAR_DIR"] = str(VAR)
    setup_django()


def today() -> date:
    """The bench's TODAY: the day its activity was built (the date of the first round)."""
    from wangge.testing.models import NucleicRound

    first = NucleicRound.objects.order_by("pk").first()
    return first.ends_at.astimezone(ZONE).date() if first else datetime.now(ZONE).date()


def gates_and_scans(day: date) -> None:
    from wangge.checkpoints.models import Checkpoint, Scan

    insert(
        Checkpoint,
        {
            "name": "co.name || '大门'",
            "kind": "'compound_gate'",
            "opens_at": "time '00:00'",
            "closes_at": "time '23:59'",
            "code_hash": "'bench-gate-' || co.id",
            "community_id": "co.community_id",
            "compound_id": "co.id",
            "grid_id": "(SELECT min(b.grid_id) FROM regions_building b WHERE b.compound_id = co.id)",
        },
        "FROM regions_compound co",
    )
    at = local("%(day)s::date - d", "21600 + mod(p.id * 37, 57600)")
    insert(
        Scan,
        {
            "client_id": "'s' || d || '-' || p.id",
            "direction": "CASE WHEN mod(p.id, 4) < 2 THEN 'in' ELSE 'out' END",
            "method": "'code'",
            "code_colour": "'green'",
            "verdict": "CASE WHEN mod(p.id, 250) = 0 THEN 'deny' ELSE 'pass' END",
            "scanned_at": at,
            "received_at": at,
            "checkpoint_id": "c.id",
            "person_id": "p.id",
            "household_id": "p.household_id",
        },
        "FROM generate_series(0, 2) AS d CROSS JOIN people_person p "
        "JOIN regions_household h ON h.id = p.household_id "
        "JOIN regions_building b ON b.id = h.building_id "
        "JOIN checkpoints_checkpoint c ON c.compound_id = b.compound_id "
        "WHERE mod(p.id + d, 2) = 0",
        {"day": day},
    )


def measures(day: date) -> None:
    from django.db import connection

    from wangge.measures.models import CheckInSlot, MeasureType, PersonMeasure

    types = list(
        MeasureType.objects.filter(rule_set__builtin=True, duration_days__in=(7, 14))
        .order_by("pk")
        .values_list("pk", flat=True)[:6]
    )
    insert(
        PersonMeasure,
        {
            "person_id": "s.p",
            "measure_type_id": "t.id",
            "start": "s.start",
            "end": "s.start + t.duration_days",
            "status": "'active'",
            "created_at": local("s.start", "28800"),
        },
        "FROM (SELECT p, %(day)s::date - mod(p / 100, 7) AS start, "
        "(%(types)s::bigint[])[1 + mod(p / 700, cardinality(%(types)s::bigint[]))] AS type "
        "FROM generate_series(50, %(persons)s, 100) AS p) s "
        "JOIN measures_measuretype t ON t.id = s.type",
        {"day": day, "types": types, "persons": PERSONS},
    )
    insert(
        CheckInSlot,
        {
            "measure_id": "m.id",
            "due_at": local("d", "h"),
            "status": "CASE WHEN d::date = %(day)s AND h = 57600 THEN 'open' "
            "WHEN mod(m.id + h, 13) = 0 THEN 'missed' ELSE 'done' END",
        },
        "FROM measures_personmeasure m CROSS JOIN LATERAL generate_series(m.start, %(day)s, "
        "interval '1 day') AS d CROSS JOIN (VALUES (28800), (57600)) AS times(h)",
        {"day": day},
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE regions_household h SET colour = t.household_colour "
            "FROM measures_personmeasure m JOIN people_person p ON p.id = m.person_id "
            "JOIN measures_measuretype t ON t.id = m.measure_type_id "
            "WHERE m.status = 'active' AND h.id = p.household_id"
        )


def rounds(day: date) -> None:
    from wangge.regions.models import Street
    from wangge.testing.models import LabResult, NucleicRound

    def at(on: date, hour: int) -> datetime:
        return datetime.combine(on, datetime.min.time(), ZONE).replace(hour=hour)

    NucleicRound.objects.bulk_create(
        NucleicRound(
            street=street,
            name="全员核酸",
            scope=NucleicRound.Scope.STREET,
            starts_at=at(day - timedelta(days=1), 7),
            ends_at=at(day, 22),
            min_age=3,
        )
        for street in Street.objects.order_by("pk")
    )
    sampled = "r.starts_at + make_interval(secs => mod(p.id * 13, 50000))"
    insert(
        LabResult,
        {
            "sampled_at": sampled,
            "tube_code": "'R' || r.id || '-' || p.id / 10",
            "result": "'negative'",
            "lab": "'基准检测所'",
            "reported_at": f"{sampled} + interval '6 hours'",
            "created_at": f"{sampled} + interval '6 hours'",
            "person_id": "p.id",
            "street_id": "r.street_id",
            "round_id": "r.id",
        },
        "FROM testing_nucleicround r JOIN regions_community c ON c.street_id = r.street_id "
        "JOIN regions_grid g ON g.community_id = c.id JOIN regions_household h ON h.grid_id = g.id "
        "JOIN people_person p ON p.household_id = h.id "
        "WHERE p.status = 'present' AND mod(p.id, 10) <> 3",
    )


def staff() -> None:
    from wangge.accounts.models import RoleAssignment, User
    from wangge.core.roles import Role
    from wangge.regions.models import Street

    def user(username: str) -> Any:
        made = User.objects.create_user(username, password=PASSWORD, full_name=username)
        made.must_change_password = False
        made.save(update_fields=["must_change_password"])
        return made

    RoleAssignment.objects.create(user=user("bench-district"), role=Role.ADMIN)
    for number, street in enumerate(Street.objects.order_by("pk"), start=1):
        RoleAssignment.objects.create(
            user=user(f"bench-street-{number:02d}"), role=Role.COMMANDER, street=street
        )


def seal_street_one() -> int:
    """Real sealed ID numbers and phones for the persons of the first street."""
    from django.db import connection

    from wangge.core import crypto
    from wangge.people.models import Person
    from wangge.regions.models import Street

    street = Street.objects.order_by("pk").first()
    ids = Person.objects.filter(household__grid__community__street=street).values_list(
        "pk", flat=True
    )
    rows = [
        (crypto.seal(id_number(pk - 1)), crypto.seal(phone(pk - 1)), pk) for pk in ids.iterator()
    ]
    with connection.cursor() as cursor:
        cursor.executemany(
            "UPDATE people_person SET id_number_sealed = %s, phone_sealed = %s WHERE id = %s", rows
        )
    return len(rows)


def snapshots(day: date) -> float:
    """The daily report's snapshots of every street for the day before TODAY and TODAY (missing
    ones), as the nightly task and the command's button build them."""
    from wangge.regions.models import Street
    from wangge.reports.services import report_build

    started = perf_counter()
    for on in (day - timedelta(days=1), day):
        for street in Street.objects.order_by("pk"):
            report_build(street=street, on=on)
    return round(perf_counter() - started, 1)


def build() -> dict[str, Any]:
    """The register (unless present), then the activity (unless present); the seconds of each."""
    from django.db import connection, transaction

    from wangge.checkpoints.models import Checkpoint
    from wangge.reports.models import Snapshot

    parts: dict[str, Any] = {}
    started = perf_counter()
    made = ensure_district(PERSONS, streets=STREETS)
    if made["generated"]:
        parts["register_seconds"] = round(perf_counter() - started, 1)
    if Checkpoint.objects.exists():
        if not Snapshot.objects.exists():
            parts["snapshots_seconds"] = snapshots(today())
        return parts
    day = datetime.now(ZONE).date()
    with transaction.atomic():
        for name, run in (
            ("rounds", rounds),
            ("measures", measures),
            ("gates_and_scans", gates_and_scans),
        ):
            started = perf_counter()
            run(day)
            parts[f"{name}_seconds"] = round(perf_counter() - started, 1)
            print(f"{name}: {parts[f'{name}_seconds']} s", file=sys.stderr, flush=True)
        staff()
        started = perf_counter()
        parts["sealed_persons"] = seal_street_one()
        parts["seal_seconds"] = round(perf_counter() - started, 1)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    parts["snapshots_seconds"] = snapshots(day)
    return parts


if __name__ == "__main__":
    ready()
    print(build())
