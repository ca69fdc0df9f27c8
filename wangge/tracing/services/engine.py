"""Finding the candidates of an index case (no writes): co-residents, persons at the same place
within the window of one of the case's own scans or venue visits, the persons the case named, and
the same rules once more from the first-hop persons (the second hop).

The co-location is set-based, in SQL, per kind of place (checkpoint scans, venue visits): the seed
rows (the case's own, or the first-hop persons', within the lookback) are put in time buckets of
the window's length, floor(epoch / window); a row within the window of a seed of bucket b is in
bucket b-1, b or b+1. A first query merges those buckets into runs per place; a second reads the
rows of other persons at each run's place within its time bounds (the (place, time) index), joins
them to the seeds by place and bucket, keeps |Δt| ≤ window, and returns the (person, place, time,
seed time, seed person) pairs, from which the evidence is written.
"""

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from wangge.checkpoints.models import Checkpoint, Scan
from wangge.measures.models import Case
from wangge.people.models import Person
from wangge.regions.models import Household
from wangge.tracing.models import NamedContact, Path
from wangge.venues.models import Venue, Visit

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
UNIT = "同单元"  # the place of a co-resident piece for a neighbour of the same unit
PATH_ORDER: list[str] = [Path.CO_RESIDENT, Path.CO_LOCATED, Path.NAMED, Path.SECOND_HOP]


class TraceTooLarge(ValidationError):
    """More co-location pairs than WANGGE["TRACE_MAX_PAIRS"]: the trace stops, nothing is written,
    instead of holding a worker and the database for minutes."""


@dataclass(frozen=True)
class _Kind:
    name: str
    model: Any
    place: str
    at: str
    place_model: Any


_KINDS = (
    _Kind("checkpoint", Scan, "checkpoint_id", "scanned_at", Checkpoint),
    _Kind("venue", Visit, "venue_id", "at", Venue),
)


@dataclass
class Found:
    """The persons found for a case: per person the paths that apply and every piece of evidence."""

    paths: dict[int, set[str]] = field(default_factory=lambda: defaultdict(set))
    evidence: dict[int, list[dict]] = field(default_factory=lambda: defaultdict(list))
    co_residents: set[int] = field(default_factory=set)
    co_located: set[int] = field(default_factory=set)
    named: set[int] = field(default_factory=set)
    second_hop: set[int] = field(default_factory=set)

    def add(self, person_id: int, path: str, piece: dict) -> None:
        self.paths[person_id].add(path)
        self.evidence[person_id].append(piece)

    def path_of(self, person_id: int) -> str:
        return next(path for path in PATH_ORDER if path in self.paths[person_id])

    def hop_of(self, person_id: int) -> int:
        return 2 if self.path_of(person_id) == Path.SECOND_HOP else 1

    def counts(self) -> dict[str, int]:
        return {
            "co_residents": len(self.co_residents),
            "co_located": len(self.co_located),
            "second_hop": len(self.second_hop),
            "named": len(self.named - self.co_residents - self.co_located),
            "candidates": len(self.co_residents | self.co_located | self.second_hop),
        }

    def ordered(self) -> list[int]:
        """The persons found, in a stable order: hop, path, person id."""
        return sorted(
            self.paths, key=lambda pk: (self.hop_of(pk), PATH_ORDER.index(self.path_of(pk)), pk)
        )


def lookback(reported_on: date) -> tuple[datetime, datetime]:
    """From the start of the day TRACE_LOOKBACK_DAYS before the report to the end of its day."""
    days = int(settings.WANGGE["TRACE_LOOKBACK_DAYS"])
    zone = timezone.get_current_timezone()
    start = datetime.combine(reported_on - timedelta(days=days), time.min, tzinfo=zone)
    end = datetime.combine(reported_on + timedelta(days=1), time.min, tzinfo=zone)
    return start, end


def _household_members(seeds: dict[int, int | None]) -> list[tuple[int, int]]:
    """(member, seed person) for the present members of each seed person's household."""
    by_household = defaultdict(list)
    for person_id, household_id in seeds.items():
        if household_id is not None:
            by_household[household_id].append(person_id)
    members = Person.objects.filter(
        household_id__in=sorted(by_household), status=Person.Status.PRESENT
    ).values_list("pk", "household_id")
    return sorted(
        (member, seed)
        for member, household_id in members
        for seed in by_household[household_id]
        if member != seed
    )


def _unit_neighbours(seeds: dict[int, int | None]) -> list[tuple[int, int]]:
    """(neighbour, seed person) for the present persons of the other households of each seed
    person's unit: the same building and 单元."""
    units = {
        pk: (building_id, unit)
        for pk, building_id, unit in Household.objects.filter(
            pk__in=sorted({h for h in seeds.values() if h is not None})
        ).values_list("pk", "building_id", "unit")
    }
    by_unit: dict[tuple[int, str], list[tuple[int, int]]] = defaultdict(list)
    for person_id, household_id in seeds.items():
        if household_id is not None:
            by_unit[units[household_id]].append((person_id, household_id))
    members = Person.objects.filter(
        household__building_id__in=sorted({building for building, _unit in by_unit}),
        status=Person.Status.PRESENT,
    ).values_list("pk", "household_id", "household__building_id", "household__unit")
    return sorted(
        (member, seed)
        for member, household_id, building_id, unit in members
        for seed, seed_household in by_unit.get((building_id, unit), ())
        if household_id != seed_household
    )


# Per kind of place: the seed rows and their time buckets, floor(epoch / window); the buckets a row
# within the window of a seed can fall in (b-1, b, b+1), merged into runs of consecutive buckets per
# place. The runs are read first; the pairs query then reads the rows of other persons at each run's
# place within its time bounds — constants, so the planner sees narrow ranges of the (place, time)
# index — joins them to the seeds of their bucket, and keeps |Δt| ≤ window.
_WANTED = """
WITH seed AS (
    SELECT person_id AS seed_person, {place} AS place, {at} AS at, {bucket_at} AS b
    FROM {table}
    WHERE person_id {in_seeds} AND {at} >= %(start)s AND {at} < %(end)s
), wanted AS (
    SELECT seed.seed_person, seed.place, seed.at, seed.b + shift.d AS b
    FROM seed CROSS JOIN (SELECT -1 AS d UNION ALL SELECT 0 UNION ALL SELECT 1) shift
)"""
_RUNS = """
SELECT place, MIN(b), MAX(b)
FROM (
    SELECT place, b, b - DENSE_RANK() OVER (PARTITION BY place ORDER BY b) AS streak
    FROM (SELECT DISTINCT place, b FROM wanted) buckets
) streaks
GROUP BY place, streak
"""
_PAIRS = """, near AS (
    SELECT r.person_id, r.{place} AS place, r.{at} AS at, {bucket_r} AS b
    FROM {table} r
    WHERE ({runs}) AND r.person_id IS NOT NULL AND NOT (r.person_id {in_seeds})
)
SELECT near.person_id, near.place, {read_near}, {read_wanted}, wanted.seed_person
FROM near JOIN wanted ON wanted.place = near.place AND wanted.b = near.b
WHERE {within}
LIMIT %(limit)s
"""
_RUN = "(r.{place} = %(place{n})s AND r.{at} >= %(first{n})s AND r.{at} < %(end{n})s)"

# The vendor's spelling of: a time's bucket, |Δt| ≤ window, "in the seeds", and a time as it is
# read (on PostgreSQL microseconds since the epoch: a number is read far faster than a timestamp).
_SQL = {
    "postgresql": {
        "read": "CAST(EXTRACT(EPOCH FROM {}) * 1000000 AS BIGINT)",
        "bucket": "CAST(FLOOR(EXTRACT(EPOCH FROM {}) / %(seconds)s) AS BIGINT)",
        "within": "ABS(EXTRACT(EPOCH FROM near.at - wanted.at)) <= %(seconds)s",
        "in_seeds": "= ANY(%(seeds)s)",
    },
    "sqlite": {
        "read": "{}",
        "bucket": "(CAST(STRFTIME('%%s', {}) AS INTEGER) / %(seconds)s)",
        "within": "ABS(django_timestamp_diff(near.at, wanted.at)) <= %(seconds)s * 1000000",
        "in_seeds": "IN (SELECT value FROM JSON_EACH(%(seeds)s))",
    },
}


def _moment(value: int | str | datetime) -> datetime:
    """A time read as microseconds since the epoch (PostgreSQL), or as SQLite gives it (a naive
    datetime, or text for a computed column), as the ORM reads it: aware, in UTC."""
    if isinstance(value, int):
        return EPOCH + timedelta(microseconds=value)
    moment = parse_datetime(value) if isinstance(value, str) else value
    assert moment is not None
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment, UTC)


def _pairs(kind: _Kind, params: dict[str, Any]) -> list[tuple]:
    """(person, place, time, seed time, seed person) of each row near a seed row."""
    spell = _SQL[connection.vendor]
    names = {
        "table": connection.ops.quote_name(kind.model._meta.db_table),
        "place": kind.place,
        "at": kind.at,
        "in_seeds": spell["in_seeds"],
        "bucket_at": spell["bucket"].format(kind.at),
        "bucket_r": spell["bucket"].format(f"r.{kind.at}"),
        "within": spell["within"],
        "read_near": spell["read"].format("near.at"),
        "read_wanted": spell["read"].format("wanted.at"),
    }
    wanted = _WANTED.format(**names)
    with connection.cursor() as cursor:
        cursor.execute(wanted + _RUNS, params)
        runs = cursor.fetchall()
        if not runs:
            return []
        seconds, adapt = params["seconds"], connection.ops.adapt_datetimefield_value
        for n, (place, first, last) in enumerate(runs):
            params[f"place{n}"] = place
            params[f"first{n}"] = adapt(datetime.fromtimestamp(first * seconds, UTC))
            params[f"end{n}"] = adapt(datetime.fromtimestamp((last + 1) * seconds, UTC))
        ranges = " OR ".join(_RUN.format(n=n, **names) for n in range(len(runs)))
        cursor.execute(wanted + _PAIRS.format(runs=ranges, **names), params)
        return cursor.fetchall()


def _co_located(
    kind: _Kind, seed_ids: Iterable[int], span: tuple[datetime, datetime], window: timedelta
) -> list[tuple[int, dict, int]]:
    """(person, evidence, seed person) for each row of another person at the same place within
    the window of a seed row."""
    seeds = sorted(seed_ids)
    adapt = connection.ops.adapt_datetimefield_value
    params = {
        "seeds": seeds if connection.vendor == "postgresql" else json.dumps(seeds),
        "start": adapt(span[0]),
        "end": adapt(span[1]),
        "seconds": int(window.total_seconds()),
    }
    limit = int(settings.WANGGE["TRACE_MAX_PAIRS"])
    rows = _pairs(kind, {**params, "limit": limit + 1})
    if len(rows) > limit:
        raise TraceTooLarge(
            f"时空交集超过{limit}条（{kind.name}），请缩小时间窗口或只追第一层 / more than {limit} "
            "co-location pairs: narrow the window or trace one hop"
        )
    names = dict(
        kind.place_model._base_manager.filter(pk__in=sorted({row[1] for row in rows})).values_list(
            "pk", "name"
        )
    )
    moments: dict[Any, tuple[datetime, str]] = {}

    def moment(value: Any) -> tuple[datetime, str]:
        if value not in moments:
            at = _moment(value)
            moments[value] = (at, at.isoformat())
        return moments[value]

    pairs = []
    for person_id, place_id, at_read, seed_read, seed_person in rows:
        (at, at_text), (seed_at, seed_text) = moment(at_read), moment(seed_read)
        piece = {
            "kind": kind.name,
            "place_id": place_id,
            "place": names.get(place_id, ""),
            "case_at": seed_text,
            "person_at": at_text,
            "minutes": round(abs(at - seed_at).total_seconds() / 60),
        }
        pairs.append((person_id, piece, seed_person))
    return pairs


def windows_for(window_minutes: int | None) -> dict[str, int]:
    """The window of each kind of place: the run's own for all, else the settings' per kind."""
    defaults = settings.WANGGE["TRACE_WINDOW_MINUTES"]
    return {kind.name: int(window_minutes or defaults[kind.name]) for kind in _KINDS}


def _reached(
    seeds: dict[int, int | None], span: tuple[datetime, datetime], windows: dict[str, int]
) -> tuple[list[tuple[int, dict, int]], list[tuple[int, dict, int]]]:
    """What the seed persons reach: their household members, and persons co-located with them."""
    household = [
        (member, {"kind": "household", "place_id": None, "place": ""}, seed)
        for member, seed in _household_members(seeds)
    ]
    if settings.WANGGE["TRACE_CO_RESIDENTS_SAME_UNIT"]:
        household += [
            (neighbour, {"kind": "household", "place_id": None, "place": UNIT}, seed)
            for neighbour, seed in _unit_neighbours(seeds)
        ]
    located = [
        pair
        for kind in _KINDS
        for pair in _co_located(kind, seeds, span, timedelta(minutes=windows[kind.name]))
    ]
    return household, located


def _sort_key(piece: dict) -> tuple:
    return (
        piece["kind"],
        piece.get("through") or 0,
        piece.get("place_id") or 0,
        piece.get("case_at") or piece.get("at") or "",
        piece.get("person_at") or "",
    )


def find_candidates(case: Case, *, window_minutes: int | None = None, hops: int = 2) -> Found:
    """Every person the trace of `case` finds, with the evidence of each (nothing is written);
    `window_minutes` for every kind of place, else each kind's own (windows_for)."""
    windows = windows_for(window_minutes)
    span = lookback(case.reported_on)
    index = case.person
    found = Found()

    household, located = _reached({index.pk: index.household_id}, span, windows)
    for member, piece, _seed in household:
        found.co_residents.add(member)
        found.add(member, Path.CO_RESIDENT, piece)
    for person_id, piece, _seed in located:
        if person_id not in found.co_residents:
            found.co_located.add(person_id)
        found.add(person_id, Path.CO_LOCATED, piece)

    named = NamedContact.objects.filter(case=case).exclude(person_id=index.pk)
    for person_id, at in named.values_list("person_id", "at"):
        found.named.add(person_id)
        found.add(person_id, Path.NAMED, {"kind": "named", "at": at.isoformat()})

    first = found.co_residents | found.co_located
    limit = int(settings.WANGGE["TRACE_MAX_SECOND_HOP_SEEDS"])
    if hops >= 2 and len(first) > limit:
        raise TraceTooLarge(
            f"第一层有{len(first)}人，超过{limit}人时不追第二层：请缩小时间窗口或只追第一层 / "
            f"{len(first)} first-hop persons, more than {limit}: narrow the window or trace one hop"
        )
    if hops >= 2 and first:
        households = dict(
            Person.objects.filter(pk__in=sorted(first)).values_list("pk", "household_id")
        )
        household, located = _reached(households, span, windows)
        for person_id, piece, seed in [*household, *located]:
            if person_id == index.pk or person_id in first:
                continue
            found.second_hop.add(person_id)
            found.add(person_id, Path.SECOND_HOP, {**piece, "through": seed})

    for pieces in found.evidence.values():
        pieces.sort(key=_sort_key)
    return found
