"""The data of the daily-report benchmark (bench/reports.py), in PostgreSQL.

The database `bench_reports` on postgres://postgres@127.0.0.1:5432 (created when missing) is built
once — migrate, the area tree with bulk_create, then set-based `INSERT … SELECT generate_series`
into the real tables — and reused while its district exists; `--rebuild` drops and builds it again
(refused while another session is connected). Every figure of the snapshot has rows to count, over
the 21 days ending on DAY (2026-04-30, the day the bench builds):

- One district of 10 streets × 8 communities × 12 grids (960 grids), a compound of 8 buildings a
  grid, 50 households a building (384,000), **1,000,000 persons** (2–3 a household; 2 % away,
  1 % moved out; birth dates over 1940–2024).
- 50,000 measures (one person in 20, starts spread over the 21 days, 7 or 14 days, those over by
  DAY released): about 27,000 persons under measure on DAY; two check-in slots a day each
  (08:00, 16:00: 8 % missed, the rest done with a check-in, one in 150 flagged); every measure
  colours its household at its start and back to green at its end (the colour history).
- 10 zones a street (2 lockdown, 3 control on buildings, 5 prevention on compounds).
- A street-wide nucleic round every 3 days (2 days long, 5 a street), 93 % of persons sampled in
  each (4.6 million results, a few positive and invalid), one in 97 marked away.
- Vaccination: 90 % a first dose, 85 % a course-completing second, 60 % a booster.
- A gate per compound (960): 240,000 scans a day over 15 days (3.6 million), 0.4 % refused.
- Door sensors on one home isolation in three, an alert every other day; 5 venues a grid with
  yellow and red cards; 20 tasks a street a day to a community's 12 grids, 15 % late; 30 events
  a street a day; 5 residents' requests a community a day; 9 supply places a street with 15 items,
  some below their line; a notice a street a day to one community's households, 60 % acknowledged.

Ids of persons and households are 1…N (the sequences are set after). Fields no figure reads
(sealed numbers, phones, names) are placeholders; the blind index is md5 of the id, unique.
Big tables are filled with their plain indexes dropped and recreated, foreign-key triggers off.
The snapshots of the 13 days before DAY are then built with `report_build` (each street and day,
as the nightly task would), so that the bench reads 14 days with DAY's own.
"""

import sys
from datetime import date, datetime, time, timedelta
from time import perf_counter
from typing import Any
from zoneinfo import ZoneInfo

DATABASE_URL = "postgres://postgres@127.0.0.1:5432/bench_reports"
DISTRICT = "基准区"
ZONE = ZoneInfo("Asia/Shanghai")
DAY = date(2026, 4, 30)
HISTORY_DAYS = 21
SERIES_DAYS = 14
STREETS, COMMUNITIES, GRIDS = 10, 8, 12
BUILDINGS, ROOMS = 8, 50  # a grid's buildings (one compound), a building's households
PERSONS = 1_000_000
HOUSEHOLDS = STREETS * COMMUNITIES * GRIDS * BUILDINGS * ROOMS
SCANS_A_DAY, SCAN_DAYS = 240_000, 15
BIG_TABLES = (
    "people_person",
    "regions_household",
    "measures_checkinslot",
    "measures_checkin",
    "testing_labresult",
    "testing_vaccinationdose",
    "checkpoints_scan",
    "notify_recipient",
)
BLANK = {
    "DateTimeField": "now()",
    "BooleanField": "false",
    "IntegerField": "0",
    "PositiveIntegerField": "0",
    "SmallIntegerField": "0",
    "PositiveSmallIntegerField": "0",
    "JSONField": "'{}'::jsonb",
}
"""What a NOT NULL column without a default takes when an INSERT does not give it."""


def local(day: str, seconds: str) -> str:
    """SQL: the instant `seconds` after the start of the local (Shanghai) day `day`."""
    return f"(({day})::timestamp + make_interval(secs => {seconds})) AT TIME ZONE 'Asia/Shanghai'"


def insert(model: Any, given: dict[str, str], rest: str, params: dict | None = None) -> int:
    """INSERT INTO the model's table SELECT `given` (column → SQL) `rest`; every other column takes
    the field's default, NULL, now() for a date-time, else ''. Returns the rows written."""
    from django.db import connection

    params = dict(params or {})
    columns, values = [], []
    for field in model._meta.concrete_fields:
        column = field.column
        if column in given:
            value = given[column]
        elif column == "id":
            continue
        elif field.has_default():
            params[f"d_{column}"] = field.get_db_prep_save(field.get_default(), connection)
            value = f"%(d_{column})s"
        elif field.null:
            value = "NULL"
        else:
            value = BLANK.get(field.get_internal_type(), "''")
        columns.append(connection.ops.quote_name(column))
        values.append(value)
    table = model._meta.db_table
    sql = f"INSERT INTO {table} ({', '.join(columns)}) SELECT {', '.join(values)} {rest}"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def tree() -> Any:
    """The district, its streets, communities, grids, compounds and buildings."""
    from wangge.regions.models import Building, Community, Compound, District, Grid, Street

    district = District.objects.create(name=DISTRICT, code="330199")
    streets = Street.objects.bulk_create(
        Street(district=district, name=f"基准{s + 1}街道", code=f"3301990{s + 1:02d}")
        for s in range(STREETS)
    )
    communities = Community.objects.bulk_create(
        Community(street=s, name=f"{s.name}第{c + 1}社区")
        for s in streets
        for c in range(COMMUNITIES)
    )
    grids = Grid.objects.bulk_create(
        Grid(community=c, name=f"第{g + 1}网格") for c in communities for g in range(GRIDS)
    )
    compounds = Compound.objects.bulk_create(
        Compound(community_id=g.community_id, name=f"{g.pk}号小区") for g in grids
    )
    Building.objects.bulk_create(
        Building(compound=compound, grid=grid, name=f"{b + 1}幢", sort_key=f"{b + 1:04d}")
        for grid, compound in zip(grids, compounds, strict=True)
        for b in range(BUILDINGS)
    )
    return district


def register() -> None:
    """Households (ids 1…HOUSEHOLDS, 50 a building) and persons (ids 1…PERSONS, 2–3 a household)."""
    from wangge.core.natural import natural_sort_key
    from wangge.people.models import Person
    from wangge.regions.models import Household

    rooms = []
    for k in range(ROOMS):
        unit, j = str(k // 25 + 1), k % 25
        room = f"{j // 2 + 1}{j % 2 + 1:02d}"
        rooms.append(f"({k}, '{unit}', {j // 2 + 1}, '{room}', ")
        rooms[-1] += f"'{natural_sort_key(unit)}', '{natural_sort_key(room)}')"
    insert(
        Household,
        {
            "id": "row_number() OVER (ORDER BY b.id, r.k)",
            "building_id": "b.id",
            "grid_id": "b.grid_id",
            "unit": "r.unit",
            "floor": "r.floor",
            "room": "r.room",
            "unit_key": "r.unit_key",
            "room_key": "r.room_key",
            "colour": "'green'",
        },
        f"FROM regions_building b CROSS JOIN (VALUES {', '.join(rooms)}) "
        "AS r(k, unit, floor, room, unit_key, room_key)",
    )
    insert(
        Person,
        {
            "id": "p",
            "name": "'居民' || p",
            "id_type": "'resident'",
            "id_number_hash": "md5('id' || p)",
            "id_last4": "lpad(mod(p, 10000)::text, 4, '0')",
            "birth_date": "date '1940-01-01' + mod(p * 7919, 30700)::int",
            "sex": "CASE WHEN mod(p, 2) = 0 THEN 'F' ELSE 'M' END",
            "status": "CASE WHEN mod(p, 50) = 7 THEN 'away' WHEN mod(p, 100) = 11 "
            "THEN 'moved_out' ELSE 'present' END",
            "household_id": f"(p - 1) * {HOUSEHOLDS}::bigint / {PERSONS} + 1",
        },
        f"FROM generate_series(1::bigint, {PERSONS}) AS p",
    )


def measures() -> None:
    """Measures, their check-in slots and check-ins, the households' colours and history."""
    from wangge.measures.models import CheckIn, CheckInSlot, MeasureType, PersonMeasure
    from wangge.regions.models import HouseholdColourChange

    types = list(
        MeasureType.objects.filter(rule_set__builtin=True, duration_days__in=(7, 14))
        .order_by("pk")
        .values_list("pk", flat=True)[:6]
    )
    first = DAY - timedelta(days=HISTORY_DAYS - 1)
    params = {"day": DAY, "first": first, "types": types}
    ended = "s.start + t.duration_days <= %(day)s"
    insert(
        PersonMeasure,
        {
            "person_id": "s.p",
            "measure_type_id": "t.id",
            "start": "s.start",
            "end": "s.start + t.duration_days",
            "status": f"CASE WHEN {ended} THEN 'released' ELSE 'active' END",
            "ended_on": f"CASE WHEN {ended} THEN s.start + t.duration_days END",
            "ended_at": f"CASE WHEN {ended} THEN {local('s.start + t.duration_days', '32400')} END",
            "created_at": local("s.start", "28800"),
        },
        "FROM (SELECT p, %(day)s::date - mod(p / 20, 21) AS start, "
        "(%(types)s::bigint[])[1 + mod(p / 420, cardinality(%(types)s::bigint[]))] AS type "
        "FROM generate_series(3, 1000000, 20) AS p) s JOIN measures_measuretype t ON t.id = s.type",
        params,
    )
    insert(
        CheckInSlot,
        {
            "measure_id": "m.id",
            "due_at": local("d", "h"),
            "status": "CASE WHEN mod(m.id * 7 + (d::date - m.start) * 13 + h, 100) < 8 "
            "THEN 'missed' ELSE 'done' END",
            "missed_at": "CASE WHEN mod(m.id * 7 + (d::date - m.start) * 13 + h, 100) < 8 THEN "
            f"{local('d', 'h + 7200')} END",
        },
        "FROM measures_personmeasure m CROSS JOIN LATERAL generate_series(m.start, "
        "least(m.\"end\" - 1, %(day)s), interval '1 day') AS d "
        "CROSS JOIN (VALUES (28800), (57600)) AS times(h)",
        params,
    )
    flagged = "mod(s.id, 150) = 0"
    insert(
        CheckIn,
        {
            "client_id": "'b' || s.id",
            "temperature": f"CASE WHEN {flagged} THEN 38.1 ELSE 36.5 END",
            "symptoms": f"CASE WHEN {flagged} THEN '[\"fever\"]'::jsonb ELSE '[]'::jsonb END",
            "flagged": flagged,
            "source": "'resident'",
            "at": "s.due_at + interval '12 minutes'",
            "received_at": "s.due_at + interval '12 minutes'",
            "slot_id": "s.id",
            "measure_id": "s.measure_id",
        },
        "FROM measures_checkinslot s WHERE s.status = 'done'",
    )
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE regions_household h SET colour = t.household_colour "
            "FROM measures_personmeasure m JOIN people_person p ON p.id = m.person_id "
            "JOIN measures_measuretype t ON t.id = m.measure_type_id "
            "WHERE m.status = 'active' AND h.id = p.household_id"
        )
    join = (
        "FROM measures_personmeasure m JOIN people_person p ON p.id = m.person_id "
        "JOIN measures_measuretype t ON t.id = m.measure_type_id"
    )
    common = {"household_id": "p.household_id", "reason": "'measure'"}
    insert(
        HouseholdColourChange,
        {**common, "at": "m.created_at", "old": "'green'", "new": "t.household_colour"},
        join,
    )
    insert(
        HouseholdColourChange,
        {**common, "at": "m.ended_at", "old": "t.household_colour", "new": "'green'"},
        f"{join} WHERE m.ended_at IS NOT NULL",
    )


def zones_and_rounds(district: Any) -> None:
    """Ten zones a street; a street-wide round every three days, its marks and results."""
    from wangge.regions.models import Building, Compound, Zone
    from wangge.testing.models import LabResult, NucleicRound, RoundMark

    def at(day: date, hour: int) -> datetime:
        return datetime.combine(day, time(hour), ZONE)

    for street in district.streets.order_by("pk"):
        buildings = list(Building.objects.filter(compound__community__street=street)[:40])
        compounds = list(Compound.objects.filter(community__street=street)[:10])
        for n, kind in enumerate(["lockdown"] * 2 + ["control"] * 3 + ["prevention"] * 5):
            start = DAY - timedelta(days=3 + 3 * n)
            lifted = at(DAY - timedelta(days=n), 10) if n % 3 == 1 else None
            zone = Zone.objects.create(
                street=street, kind=kind, name=f"{street.name}{kind}{n}", starts_at=at(start, 9),
                declared_at=at(start, 9), lifted_at=lifted,
            )  # fmt: skip
            if kind == "prevention":
                zone.compounds.set(compounds[2 * (n - 5) : 2 * (n - 5) + 2])
            else:
                zone.buildings.set(buildings[8 * n : 8 * n + (2 if kind == "lockdown" else 8)])
        NucleicRound.objects.bulk_create(
            NucleicRound(
                street=street,
                name=f"第{k + 1}轮",
                scope=NucleicRound.Scope.STREET,
                starts_at=at(DAY - timedelta(days=12 - 3 * k), 7),
                ends_at=at(DAY - timedelta(days=11 - 3 * k), 22),
                min_age=3,
                created_at=at(DAY, 0),
            )  # fmt: skip
            for k in range(5)
        )
    persons = (
        "FROM testing_nucleicround r JOIN regions_community c ON c.street_id = r.street_id "
        "JOIN regions_grid g ON g.community_id = c.id JOIN regions_household h ON h.grid_id = g.id "
        "JOIN people_person p ON p.household_id = h.id"
    )
    insert(
        RoundMark,
        {"kind": "'away'", "at": "r.starts_at", "person_id": "p.id", "round_id": "r.id"},
        f"{persons} WHERE mod(p.id, 97) = 5",
    )
    sampled = "r.starts_at + make_interval(secs => mod(p.id * 13, 50000))"
    insert(
        LabResult,
        {
            "sampled_at": sampled,
            "tube_code": "'R' || r.id || '-' || p.id / 10",
            "result": "CASE WHEN mod(p.id, 20011) = 0 THEN 'positive' "
            "WHEN mod(p.id + r.id, 500) = 0 THEN 'invalid' ELSE 'negative' END",
            "lab": "'基准检测所'",
            "reported_at": f"{sampled} + interval '6 hours'",
            "created_at": f"{sampled} + interval '6 hours'",
            "person_id": "p.id",
            "street_id": "r.street_id",
            "round_id": "r.id",
        },
        f"{persons} WHERE p.status = 'present' AND mod(p.id + r.id, 100) < 93",
    )


def vaccination() -> None:
    from wangge.testing.models import VaccinationDose

    doses = [
        (1, "mod(p.id, 10) <> 0", "date '2021-04-01' + mod(p.id, 400)::int", "false"),
        (2, "mod(p.id, 20) NOT IN (0, 1, 10)", "date '2021-04-29' + mod(p.id, 400)::int", "true"),
        (3, "mod(p.id, 5) IN (1, 2, 3) AND mod(p.id, 20) NOT IN (0, 1, 10)",
         "date '2022-01-01' + mod(p.id, 300)::int", "false"),
        (1, "mod(p.id, 1000) = 10", f"date '{DAY}' - mod(p.id / 1000, {HISTORY_DAYS})::int", "false"),
    ]  # fmt: skip
    for number, where, on, completes in doses:
        insert(
            VaccinationDose,
            {
                "dose_number": str(number),
                "vaccinated_on": on,
                "vaccine": "'基准疫苗'",
                "completes_course": completes,
                "person_id": "p.id",
            },
            f"FROM people_person p WHERE {where}",
        )


def drop_database() -> None:
    """Drop bench_reports, refused while another session uses it (a long query there would hold
    DROP DATABASE, and killing someone else's work is not ours to do)."""
    import psycopg

    name = DATABASE_URL.rsplit("/", 1)[1]
    admin = DATABASE_URL.rsplit("/", 1)[0].replace("postgres://", "postgresql://") + "/postgres"
    with psycopg.connect(admin, autocommit=True) as connection:
        busy = connection.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = %s", [name]
        ).fetchone()
        if busy and busy[0]:
            sys.exit(f"{name} has {busy[0]} open sessions: close them before --rebuild")
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')


def fill(district_parts: dict[str, float]) -> Any:
    """The district and every record, in one transaction; the seconds of each part."""
    import reports_data_work as work
    from django.db import connection, transaction

    def part(name: str, run: Any, *args: Any) -> Any:
        started = perf_counter()
        result = run(*args)
        district_parts[name] = round(perf_counter() - started, 1)
        print(f"{name}: {district_parts[name]} s", file=sys.stderr, flush=True)
        return result

    with transaction.atomic():
        district = part("tree", tree)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = ANY(%s) "
                "AND indexname NOT IN (SELECT conname FROM pg_constraint)",
                [list(BIG_TABLES)],
            )
            indexes = cursor.fetchall()
            for name, _definition in indexes:
                cursor.execute(f'DROP INDEX "{name}"')
            cursor.execute("SET LOCAL session_replication_role = replica")
        part("register", register)
        part("measures", measures)
        part("zones_and_rounds", zones_and_rounds, district)
        part("vaccination", vaccination)
        for name in ("gates_and_scans", "devices", "venues", "command", "requests", "supplies"):
            part(name, getattr(work, name))
        part("notices", work.notices)
        with connection.cursor() as cursor:
            started = perf_counter()
            for _name, definition in indexes:
                cursor.execute(definition)
            for table in ("people_person", "regions_household"):
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT max(id) FROM {table}))"
                )
            district_parts["indexes"] = round(perf_counter() - started, 1)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    return district


def snapshots(district: Any) -> float:
    """The snapshots of the SERIES_DAYS - 1 days before DAY that are missing, street by street."""
    from wangge.reports.models import Snapshot
    from wangge.reports.services import report_build

    started = perf_counter()
    for back in range(SERIES_DAYS - 1, 0, -1):
        day = DAY - timedelta(days=back)
        for street in district.streets.order_by("pk"):
            if not Snapshot.objects.filter(street=street, day=day).exists():
                report_build(street=street, on=day)
        print(f"snapshots of {day}: {perf_counter() - started:.0f} s", file=sys.stderr, flush=True)
    return round(perf_counter() - started, 1)


def build() -> dict[str, Any] | None:
    """The district (unless it exists) and the snapshots before DAY (those missing); what it took,
    or None when there was nothing to do."""
    from wangge.regions.models import District, Street
    from wangge.reports.models import Snapshot

    district = District.objects.filter(name=DISTRICT).first()
    parts: dict[str, Any] = {}
    if district is None:
        if Street.objects.exists():
            sys.exit("bench_reports holds streets but not the bench district: --rebuild it")
        started = perf_counter()
        district = fill(parts)
        parts["district_seconds"] = round(perf_counter() - started, 1)
    wanted = STREETS * (SERIES_DAYS - 1)
    before = Snapshot.objects.filter(
        street__district=district, day__gte=DAY - timedelta(days=SERIES_DAYS - 1), day__lt=DAY
    ).count()
    if before < wanted:
        parts["snapshots_seconds"] = snapshots(district)
    return parts or None
