"""Reads over rounds: the grids a round covers, its target population, which round a result joins.

Counting rules (docs/testing.md): the target is the persons living in the round's grids who are
present, at least `min_age` on the round's first day (or of unknown age), and not marked away,
bedridden or exempt for the round. A target person is tested when they have a result in the round
that is not invalid.
"""

from datetime import datetime

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from wangge.people.models import Person, PersonQuerySet
from wangge.regions.models import Grid
from wangge.testing.models import LabResult, NucleicRound, Outcome, RoundMark
from wangge.testing.selectors.ages import born_by


def with_small_grids(grid_ids: set[int]) -> set[int]:
    """The grids and every grid nested under them."""
    found = set(grid_ids)
    frontier = set(grid_ids)
    while frontier:
        frontier = (
            set(Grid.objects.filter(parent__in=frontier).values_list("pk", flat=True)) - found
        )
        found |= frontier
    return found


def round_grid_ids(round: NucleicRound) -> list[int]:
    """The grids a round covers, small grids included."""
    if round.scope == NucleicRound.Scope.DISTRICT and round.street.district_id:
        grids = Grid.objects.filter(community__street__district_id=round.street.district_id)
    elif round.scope in (NucleicRound.Scope.STREET, NucleicRound.Scope.DISTRICT):
        grids = Grid.objects.filter(community__street_id=round.street_id)
    elif round.scope == NucleicRound.Scope.COMMUNITIES:
        grids = Grid.objects.filter(community__in=round.communities.all())
    else:
        return sorted(with_small_grids(set(round.grids.values_list("pk", flat=True))))
    return sorted(grids.values_list("pk", flat=True))


def round_target(round: NucleicRound) -> PersonQuerySet:
    """The persons the round must reach (a PersonQuerySet: callers restrict it to the user)."""
    target = Person.objects.filter(
        household__grid_id__in=round_grid_ids(round), status=Person.Status.PRESENT
    )
    if round.min_age:
        first_day = timezone.localtime(round.starts_at).date()
        target = target.filter(
            Q(birth_date__lte=born_by(first_day, round.min_age)) | Q(birth_date__isnull=True)
        )
    excluded = RoundMark.objects.filter(
        round=round, person=OuterRef("pk"), kind__in=RoundMark.EXCLUDING
    )
    return target.filter(~Exists(excluded))


def tested(round: NucleicRound) -> Exists:
    """Whether the outer person has a result in the round that is not invalid (an EXISTS, so the
    database probes the (round, person) index for a few persons and hashes for many)."""
    return Exists(
        LabResult.objects.filter(round=round, person=OuterRef("pk")).exclude(result=Outcome.INVALID)
    )


def excluded_marks(round: NucleicRound) -> QuerySet[RoundMark]:
    return RoundMark.objects.filter(round=round, kind__in=RoundMark.EXCLUDING)


class RoundRouter:
    """Which round a result joins: the given one, else the latest-starting round whose window holds
    the sample time and whose grids hold the person's household; else none (routine testing)."""

    def __init__(self, fixed: NucleicRound | None) -> None:
        self.fixed_id = fixed.pk if fixed is not None else None
        self._rounds: list[tuple[int, datetime, datetime]] | None = None
        self._grids: dict[int, list[int]] = {}
        self._by_grid: dict[int, list[tuple[int, datetime, datetime]]] = {}

    def prepare(self, times: list[datetime]) -> None:
        """Narrow the candidates to the rounds that overlap these sample times, by grid."""
        if self.fixed_id is not None or not times:
            return
        if self._rounds is None:
            self._rounds = list(
                NucleicRound.objects.order_by("-starts_at", "-pk").values_list(
                    "pk", "starts_at", "ends_at"
                )
            )
        low, high = min(times), max(times)
        self._by_grid = {}
        for candidate in self._rounds:
            pk, starts_at, ends_at = candidate
            if starts_at > high or ends_at < low:
                continue
            if pk not in self._grids:
                self._grids[pk] = round_grid_ids(NucleicRound.objects.get(pk=pk))
            for grid_id in self._grids[pk]:
                self._by_grid.setdefault(grid_id, []).append(candidate)

    def round_for(self, grid_id: int | None, sampled_at: datetime) -> int | None:
        if self.fixed_id is not None:
            return self.fixed_id
        for pk, starts_at, ends_at in self._by_grid.get(grid_id or 0, ()):
            if starts_at <= sampled_at <= ends_at:
                return pk
        return None
