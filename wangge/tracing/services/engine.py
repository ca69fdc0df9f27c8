"""Finding the candidates of an index case (no writes): co-residents, persons at the same place
within the window of one of the case's own scans or venue visits, the persons the case named, and
the same rules once more from the first-hop persons (the second hop).

The co-location is set-based: one query per kind of place (checkpoint scans, venue visits) keeps
the rows of other persons for which a seed row exists at the same place with |Δt| ≤ window (an
`Exists` subquery, the window as datetime ± interval, so the database does the exact filter with
the (place, time) index). The seed rows (the case's own, or the first-hop persons', within the
lookback) and the rows found are then paired by place and time bucket (floor(epoch / window)):
a row of bucket b can only be within the window of seed rows of buckets b-1, b and b+1.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.utils import timezone

from wangge.checkpoints.models import Checkpoint, Scan
from wangge.measures.models import Case
from wangge.people.models import Person
from wangge.tracing.models import NamedContact, Path
from wangge.venues.models import Venue, Visit

PATH_ORDER: list[str] = [Path.CO_RESIDENT, Path.CO_LOCATED, Path.NAMED, Path.SECOND_HOP]


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


def _bucket(moment: datetime, window: timedelta) -> int:
    return int(moment.timestamp() // window.total_seconds())


def _co_located(
    kind: _Kind, seed_ids: Iterable[int], span: tuple[datetime, datetime], window: timedelta
) -> list[tuple[int, dict, int]]:
    """(person, evidence, seed person) for each row of another person at the same place within
    the window of a seed row."""
    seed_ids = sorted(seed_ids)
    manager = kind.model._base_manager
    seed_rows = manager.filter(
        person_id__in=seed_ids, **{f"{kind.at}__gte": span[0], f"{kind.at}__lt": span[1]}
    )
    near_seed = seed_rows.filter(
        **{
            kind.place: OuterRef(kind.place),
            f"{kind.at}__gte": OuterRef(kind.at) - window,
            f"{kind.at}__lte": OuterRef(kind.at) + window,
        }
    )
    # only rows at a seed's place and within the window of the lookback can be near a seed row:
    # the bounds let the (place, time) index narrow the rows before the EXISTS probes each one
    bounded = manager.filter(
        **{
            f"{kind.place}__in": seed_rows.values(kind.place),
            f"{kind.at}__gte": span[0] - window,
            f"{kind.at}__lte": span[1] + window,
        }
    )
    found = (
        bounded.filter(Exists(near_seed))
        .filter(person__isnull=False)
        .exclude(person_id__in=seed_ids)
        .values_list("person_id", kind.place, kind.at)
    )
    seeds: dict[tuple[int, int], list[tuple[datetime, int]]] = defaultdict(list)
    for person_id, place_id, at in seed_rows.values_list("person_id", kind.place, kind.at):
        seeds[(place_id, _bucket(at, window))].append((at, person_id))
    found_rows = list(found)
    names = dict(
        kind.place_model._base_manager.filter(
            pk__in=sorted({row[1] for row in found_rows})
        ).values_list("pk", "name")
    )
    pairs = []
    for person_id, place_id, at in found_rows:
        bucket = _bucket(at, window)
        for near in (bucket - 1, bucket, bucket + 1):
            for seed_at, seed_person in seeds.get((place_id, near), ()):
                if abs(at - seed_at) <= window:
                    piece = {
                        "kind": kind.name,
                        "place_id": place_id,
                        "place": names.get(place_id, ""),
                        "case_at": seed_at.isoformat(),
                        "person_at": at.isoformat(),
                        "minutes": round(abs(at - seed_at).total_seconds() / 60),
                    }
                    pairs.append((person_id, piece, seed_person))
    return pairs


def _reached(
    seeds: dict[int, int | None], span: tuple[datetime, datetime], window: timedelta
) -> tuple[list[tuple[int, dict, int]], list[tuple[int, dict, int]]]:
    """What the seed persons reach: their household members, and persons co-located with them."""
    household = [
        (member, {"kind": "household", "place_id": None, "place": ""}, seed)
        for member, seed in _household_members(seeds)
    ]
    located = [pair for kind in _KINDS for pair in _co_located(kind, seeds, span, window)]
    return household, located


def _sort_key(piece: dict) -> tuple:
    return (
        piece["kind"],
        piece.get("through") or 0,
        piece.get("place_id") or 0,
        piece.get("case_at") or piece.get("at") or "",
        piece.get("person_at") or "",
    )


def find_candidates(case: Case, *, window_minutes: int = 30, hops: int = 2) -> Found:
    """Every person the trace of `case` finds, with the evidence of each (nothing is written)."""
    window = timedelta(minutes=window_minutes)
    span = lookback(case.reported_on)
    index = case.person
    found = Found()

    household, located = _reached({index.pk: index.household_id}, span, window)
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
    if hops >= 2 and first:
        households = dict(
            Person.objects.filter(pk__in=sorted(first)).values_list("pk", "household_id")
        )
        household, located = _reached(households, span, window)
        for person_id, piece, seed in [*household, *located]:
            if person_id == index.pk or person_id in first:
                continue
            found.second_hop.add(person_id)
            found.add(person_id, Path.SECOND_HOP, {**piece, "through": seed})

    for pieces in found.evidence.values():
        pieces.sort(key=_sort_key)
    return found
