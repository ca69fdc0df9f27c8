"""The data of the tracing benchmark (bench/tracing.py), in PostgreSQL.

The database `bench_tracing` on postgres://postgres@127.0.0.1:5432 (created when missing) is built
once — migrate, then COPY into the real tables — and reused while its marker (the bench case)
exists; drop the database after the migrations change.

A street at peak, 30 days of scans and 21 days of venue visits ending on the day the case is
reported (2026-04-30):
- 100,000 persons in 25,200 households (1–5 persons each) of 420 buildings, 42 compounds, 60 grids
  and 2 communities (the register of bench/verification_data.py).
- 42 checkpoints, the gate of each compound: 7,000,000 scans, 2.33 a person a day (0, 1 or 2
  times out and back), 95% at the person's own gate, 5% at another; times of day 30% around 08:00
  (σ 40 min), 30% around 18:00 (σ 45 min), 40% spread over 06:00–22:00 — about 5,600 scans a gate
  a day, up to 600 an hour at the rush hours.
- 300 venues, 5 a grid: 3,000,000 visits, 1.43 a person a day, 80% at a venue of the person's
  grid; 30% around 12:00 (σ 45 min), 30% around 18:30 (σ 60 min), 40% over 08:00–21:00.
- The case: a resident whose household has other members, with 200 scans (13 a day over the
  15 days of the lookback, 70% at the own gate, the rest at 4 neighbouring gates) and 20 venue
  visits; a confirmed case reported on the last day.
Scans and visits are written with COPY from a generator with the tables' plain indexes dropped
and recreated after from their own definitions (the migrations' indexes, as `pg_indexes` lists
them), foreign-key triggers off for the load (the generator only writes ids that exist).
"""

import random
import sys
import time
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from verification_data import copy_street

DATABASE_URL = "postgres://postgres@127.0.0.1:5432/bench_tracing"
ZONE = ZoneInfo("Asia/Shanghai")
REPORTED_ON = date(2026, 4, 30)
PERSONS = 100_000
CHECKPOINTS = 42  # a gate per compound
VENUES_PER_GRID = 5
SCAN_DAYS, VISIT_DAYS = 30, 21
SCANS, VISITS = 7_000_000, 3_000_000
CASE_SCANS, CASE_VISITS = 200, 20
LOOKBACK_DAYS = 15  # the 14 days before the report and its day
HOUR = 3600


def _scan_time(rng: random.Random) -> float:
    pick = rng.random()
    if pick < 0.3:
        moment = rng.gauss(8 * HOUR, 40 * 60)
    elif pick < 0.6:
        moment = rng.gauss(18 * HOUR, 45 * 60)
    else:
        moment = rng.uniform(6 * HOUR, 22 * HOUR)
    return min(max(moment, 0), 24 * HOUR - 1)


def _visit_time(rng: random.Random) -> float:
    pick = rng.random()
    if pick < 0.3:
        moment = rng.gauss(12 * HOUR, 45 * 60)
    elif pick < 0.6:
        moment = rng.gauss(18.5 * HOUR, 60 * 60)
    else:
        moment = rng.uniform(8 * HOUR, 21 * HOUR)
    return min(max(moment, 0), 24 * HOUR - 1)


def _day(offset: int) -> datetime:
    """The start of the day `offset` days before the report, local time."""
    return datetime.combine(REPORTED_ON - timedelta(days=offset), datetime.min.time(), ZONE)


def _scan_rows(people: list[tuple], gates: list[int], case: tuple, rng: random.Random) -> Any:
    """(client_id, checkpoint, direction, person, household, at): the newest day first, so the
    total is cut on the oldest day, outside the lookback."""
    serial = 0
    left = SCANS - CASE_SCANS
    for offset in range(SCAN_DAYS):
        start = _day(offset)
        for person, household, gate, _grid in people:
            if person == case[0]:
                continue
            pick = rng.random()
            count = 2 * (pick >= 0.15) + 2 * (pick >= 0.68)  # 2.34 a day: cut to the total
            for n in range(min(count, left)):
                place = gate if rng.random() < 0.95 else rng.choice(gates)
                at = start + timedelta(seconds=_scan_time(rng))
                serial += 1
                yield (f"t{serial:09d}", place, "in" if n % 2 else "out", person, household, at)
            left -= min(count, left)
            if not left:
                break
    assert not left, "the generator ran out of person-days"
    person, household, gate, _grid = case
    near = [gates[(gates.index(gate) + k) % len(gates)] for k in range(1, 5)]
    for n in range(CASE_SCANS):
        place = gate if rng.random() < 0.7 else rng.choice(near)
        at = _day(n % LOOKBACK_DAYS) + timedelta(seconds=_scan_time(rng))
        serial += 1
        yield (f"t{serial:09d}", place, "in" if n % 2 else "out", person, household, at)


def _visit_rows(people: list[tuple], venues: dict[int, list[int]], case: tuple, rng) -> Any:
    """(venue, person, at), the newest day first."""
    everywhere = [v for grid in venues.values() for v in grid]
    left = VISITS - CASE_VISITS
    for offset in range(VISIT_DAYS):
        start = _day(offset)
        for person, _household, _gate, grid in people:
            if person == case[0]:
                continue
            pick = rng.random()
            count = (pick >= 0.25) + (pick >= 0.5) + (pick >= 0.81)  # 1.44 a day, cut
            for _ in range(min(count, left)):
                near = rng.random() < 0.8
                venue = rng.choice(venues[grid]) if near else rng.choice(everywhere)
                yield (venue, person, start + timedelta(seconds=_visit_time(rng)))
            left -= min(count, left)
            if not left:
                break
    assert not left, "the generator ran out of person-days"
    person, _household, _gate, grid = case
    for n in range(CASE_VISITS):
        venue = rng.choice(venues[grid]) if n % 4 else rng.choice(everywhere)
        yield (venue, person, _day(n % LOOKBACK_DAYS) + timedelta(seconds=_visit_time(rng)))


def _copy_rows(table: str, columns: list[str], constants: dict[str, Any], rows: Any) -> None:
    from django.db import connection

    names = [*columns, *constants]
    tail = list(constants.values())
    sql = f"COPY {table} ({', '.join(names)}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row((*row, *tail))


def _places(street: Any) -> tuple[dict[int, int], dict[int, list[int]]]:
    """The gate of each compound and the 5 venues of each grid."""
    from wangge.checkpoints.models import Checkpoint
    from wangge.checkpoints.tokens import new_token
    from wangge.regions.models import Compound, Grid
    from wangge.venues.models import Venue, VenueKind

    compounds = list(Compound.objects.filter(community__street=street).order_by("pk"))
    checkpoints = []
    for compound in compounds[:CHECKPOINTS]:
        token = new_token()
        checkpoints.append(
            Checkpoint(
                name=f"{compound.name}大门",
                kind=Checkpoint.Kind.COMPOUND_GATE,
                community_id=compound.community_id,
                compound=compound,
                code_sealed=token.sealed,
                code_hash=token.hash,
            )
        )
    gates = {c.compound_id: c.pk for c in Checkpoint.objects.bulk_create(checkpoints)}
    kind = VenueKind.objects.order_by("pk").first()
    venues = []
    for grid in Grid.objects.filter(community__street=street).order_by("pk"):
        for n in range(VENUES_PER_GRID):
            token = new_token()
            venues.append(
                Venue(
                    name=f"{grid.pk}号网格第{n + 1}店",
                    kind=kind,
                    grid=grid,
                    code_sealed=token.sealed,
                    code_hash=token.hash,
                )
            )
    by_grid: dict[int, list[int]] = {}
    for venue in Venue.objects.bulk_create(venues):
        by_grid.setdefault(venue.grid_id, []).append(venue.pk)
    return gates, by_grid


def _people(gates: dict[int, int]) -> list[tuple[int, int, int, int]]:
    """(person, household, gate, grid) of every person, the gate of the person's compound."""
    from wangge.people.models import Person

    rows = Person.objects.order_by("pk").values_list(
        "pk", "household_id", "household__building__compound_id", "household__grid_id"
    )
    return [
        (person, household, gates[compound], grid) for person, household, compound, grid in rows
    ]


def _index_person(people: list[tuple]) -> tuple:
    """The first person whose household has at least two other members."""
    members: dict[int, int] = {}
    for _person, household, _gate, _grid in people:
        members[household] = members.get(household, 0) + 1
    return next(p for p in people if members[p[1]] >= 3)


def build(seed: int) -> float | None:
    """The street, its places, scans and visits and the case, once; the seconds it took."""
    from django.db import connection, transaction

    from wangge.measures.models import Case
    from wangge.regions.models import Street

    if Case.objects.filter(reported_on=REPORTED_ON).exists():
        return None
    if Street.objects.exists():
        sys.exit("bench_tracing holds a street but no bench case: drop the database first")
    started = time.perf_counter()
    copy_street(PERSONS, seed)
    rng = random.Random(seed)
    with transaction.atomic():
        street = Street.objects.get()
        gate_of, venues = _places(street)
        people = _people(gate_of)
        gates = sorted(gate_of.values())
        case = _index_person(people)
        tables = ("checkpoints_scan", "venues_visit")
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = ANY(%s) "
                "AND indexname NOT IN (SELECT conname FROM pg_constraint)",
                [list(tables)],
            )
            indexes = cursor.fetchall()
            for name, _definition in indexes:
                cursor.execute(f'DROP INDEX "{name}"')
            cursor.execute("SET LOCAL session_replication_role = replica")
        _copy_rows(
            "checkpoints_scan",
            [
                "client_id",
                "checkpoint_id",
                "direction",
                "person_id",
                "household_id",
                "scanned_at",
                "received_at",
            ],
            {"method": "code", "code_colour": "green", "verdict": "pass", "needs": ""},
            ((*row, row[-1]) for row in _scan_rows(people, gates, case, rng)),
        )
        _copy_rows(
            "venues_visit",
            ["venue_id", "person_id", "at"],
            {
                "phone_sealed": "",
                "phone_hash": "",
                "phone_masked": "",
                "address_hash": "",
                "flag": "",
            },
            _visit_rows(people, venues, case, rng),
        )
        with connection.cursor() as cursor:
            for _name, definition in indexes:
                cursor.execute(definition)
        Case.objects.create(person_id=case[0], kind=Case.Kind.CONFIRMED, reported_on=REPORTED_ON)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE checkpoints_scan")
        cursor.execute("VACUUM ANALYZE venues_visit")
        cursor.execute("ANALYZE")
    return time.perf_counter() - started
