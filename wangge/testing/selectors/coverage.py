"""Coverage of a round (target, tested, untested, %) by community, grid and building, and the
untested list (未检人员), computed live from the register and the results — no stored counters.

Both are scoped: a user counts and lists only the persons they may see.
"""

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, OuterRef, QuerySet, Subquery

from wangge.accounts.models import User
from wangge.people.models import Person
from wangge.regions.models import DWELLING_ORDER, Building, Community, Grid
from wangge.testing.models import NucleicRound, RoundMark
from wangge.testing.selectors import (
    excluded_marks,
    round_target,
    tested,
    with_small_grids,
)

LEVELS: dict[str, str] = {
    "community": "household__grid__community_id",
    "grid": "household__grid_id",
    "building": "household__building_id",
}


@dataclass(frozen=True)
class CoverageRow:
    area_id: int | None
    label: str
    target: int
    tested: int

    @property
    def untested(self) -> int:
        return self.target - self.tested

    @property
    def percent(self) -> float:
        return round(100 * self.tested / self.target, 1) if self.target else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.area_id,
            "label": self.label,
            "target": self.target,
            "tested": self.tested,
            "untested": self.untested,
            "percent": self.percent,
        }


def visible_target(round: NucleicRound, user: User) -> QuerySet[Person]:
    return round_target(round).restrict(user, "view")


def _labels(level: str, ids: set[int]) -> dict[int, str]:
    if level == "community":
        return dict(Community.objects.filter(pk__in=ids).values_list("pk", "name"))
    if level == "grid":
        grids = list(Grid.objects.filter(pk__in=ids).select_related("community"))
        several = len({grid.community_id for grid in grids}) > 1
        return {grid.pk: str(grid) if several else grid.name for grid in grids}
    return {
        pk: f"{compound}{name}"
        for pk, compound, name in Building.objects.filter(pk__in=ids).values_list(
            "pk", "compound__name", "name"
        )
    }


def round_coverage(round: NucleicRound, user: User, level: str = "grid") -> list[CoverageRow]:
    """One row per community, grid or building with persons in the target, ordered by label."""
    field = LEVELS[level]
    target = visible_target(round, user)
    totals = dict(target.order_by().values_list(field).annotate(n=Count("pk")))
    done = dict(target.filter(tested(round)).order_by().values_list(field).annotate(n=Count("pk")))
    labels = _labels(level, {pk for pk in totals if pk})
    rows = [
        CoverageRow(pk, labels.get(pk, "—"), count, done.get(pk, 0)) for pk, count in totals.items()
    ]
    return sorted(rows, key=lambda row: (row.label, row.area_id or 0))


def coverage_total(rows: list[CoverageRow]) -> CoverageRow:
    return CoverageRow(
        None, "合计", sum(row.target for row in rows), sum(row.tested for row in rows)
    )


def excluded_count(round: NucleicRound, user: User) -> dict[str, int]:
    """How many persons each excluding mark takes out of the target (for the round page)."""
    visible = Person.objects.restrict(user, "view").values("pk")
    return dict(
        excluded_marks(round)
        .filter(person__in=visible)
        .order_by()
        .values_list("kind")
        .annotate(n=Count("pk"))
    )


def untested(round: NucleicRound, user: User, grid: Grid | None = None) -> QuerySet[Person]:
    """The target persons without a valid result yet, with their latest mark, in stairwell order."""
    persons = visible_target(round, user).filter(~tested(round))
    if grid is not None:
        persons = persons.filter(household__grid__in=with_small_grids({grid.pk}))
    marks = RoundMark.objects.filter(round=round, person=OuterRef("pk"))
    return (
        persons.annotate(
            mark_kind=Subquery(marks.values("kind")[:1]),
            mark_note=Subquery(marks.values("note")[:1]),
        )
        .select_related("household__building__compound", "household__grid")
        .order_by(
            "household__grid__name",
            "household__building__compound__name",
            "household__building__name",
            "household__unit",
            "household__room",
            "pk",
        )
    )


def excluded(round: NucleicRound, user: User) -> QuerySet[Person]:
    """Persons the marks took out of the target (away, bedridden for home sampling, exempt)."""
    marks = RoundMark.objects.filter(round=round, person=OuterRef("pk"))
    return (
        Person.objects.restrict(user, "view")
        .filter(pk__in=excluded_marks(round).values("person_id"))
        .annotate(
            mark_kind=Subquery(marks.values("kind")[:1]),
            mark_note=Subquery(marks.values("note")[:1]),
        )
        .select_related("household__building__compound")
        .order_by(*DWELLING_ORDER, "pk")
    )
