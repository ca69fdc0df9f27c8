"""Reads over the snapshots: the areas a user may report on (grid workers their grids, community
workers their community and its grids, the street's staff the street and everything in it), one
area's figures of a day, and its series over days. Nothing here reads the register."""

from dataclasses import dataclass
from datetime import date, timedelta

from wangge.accounts.authority import areas_held
from wangge.accounts.models import User
from wangge.core.roles import Action
from wangge.regions.models import Community, Grid, Street
from wangge.reports.models import AreaFigures, Level, Snapshot


@dataclass(frozen=True)
class Choice:
    level: str
    pk: int
    name: str

    @property
    def key(self) -> str:
        return f"{self.level}-{self.pk}"


def areas_for(user: User) -> list[Choice]:
    """The areas `user` may see the report of, highest level first."""
    streets = areas_held(user, Action.VIEW, Street).order_by("pk")
    communities = areas_held(user, Action.VIEW, Community).order_by("street_id", "pk")
    grids = (
        areas_held(user, Action.VIEW, Grid)
        .select_related("community")
        .order_by("community_id", "pk")
    )
    return [
        *(Choice(Level.STREET, s.pk, s.name) for s in streets),
        *(Choice(Level.COMMUNITY, c.pk, c.name) for c in communities),
        *(Choice(Level.GRID, g.pk, f"{g.community.name} {g.name}") for g in grids),
    ]


def street_of(choice: Choice) -> Street:
    if choice.level == Level.STREET:
        return Street.objects.get(pk=choice.pk)
    if choice.level == Level.COMMUNITY:
        return Street.objects.get(communities__pk=choice.pk)
    return Street.objects.get(communities__grids__pk=choice.pk)


def figures_on(choice: Choice, day: date) -> dict[str, int] | None:
    """The area's figures of `day`, or None when that day has no snapshot."""
    row = AreaFigures.objects.filter(level=choice.level, area_id=choice.pk, day=day).first()
    return row.figures if row is not None else None


def snapshot_of(street: Street, day: date) -> Snapshot | None:
    return Snapshot.objects.filter(street=street, day=day).select_related("built_by").first()


def last_day(choice: Choice) -> date | None:
    row = AreaFigures.objects.filter(level=choice.level, area_id=choice.pk).order_by("-day")
    return row.values_list("day", flat=True).first()


def series(choice: Choice, last: date, days: int, keys: tuple[str, ...]) -> dict[str, list]:
    """{"days": [...], key: [value or None per day]} over the `days` days ending `last` (None
    for a day without a snapshot), in one query."""
    span = [last - timedelta(days=back) for back in range(days - 1, -1, -1)]
    rows = dict(
        AreaFigures.objects.filter(
            level=choice.level, area_id=choice.pk, day__gte=span[0], day__lte=last
        ).values_list("day", "figures")
    )
    found: dict[str, list] = {"days": [f"{day:%m-%d}" for day in span]}
    for key in keys:
        found[key] = [rows[day].get(key, 0) if day in rows else None for day in span]
    return found
