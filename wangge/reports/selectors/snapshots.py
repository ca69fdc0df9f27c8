"""Reads over the snapshots: the areas a user may report on (grid workers their grids, community
workers their community and its grids, the street's staff the street and everything in it), one
area's figures of a day, and its series over days. Nothing here reads the register."""

from dataclasses import dataclass
from datetime import date, timedelta

from wangge.accounts.authority import areas_held
from wangge.accounts.models import User
from wangge.core.roles import Action
from wangge.regions.models import Community, District, Grid, Street
from wangge.reports.district import district_figures, district_series
from wangge.reports.models import AreaFigures, Level, Snapshot

DISTRICT = "district"  # a level above the snapshots: the sum of its streets' (reports/district.py)


@dataclass(frozen=True)
class Choice:
    level: str
    pk: int
    name: str

    @property
    def key(self) -> str:
        return f"{self.level}-{self.pk}"


def areas_for(user: User) -> list[Choice]:
    """The areas `user` may see the report of, highest level first: the districts only for those
    who hold everything (the deployment's administrators)."""
    districts = areas_held(user, Action.VIEW, District).order_by("pk")
    streets = areas_held(user, Action.VIEW, Street).order_by("pk")
    communities = areas_held(user, Action.VIEW, Community).order_by("street_id", "pk")
    grids = (
        areas_held(user, Action.VIEW, Grid)
        .select_related("community")
        .order_by("community_id", "pk")
    )
    return [
        *(Choice(DISTRICT, d.pk, d.name) for d in districts),
        *(Choice(Level.STREET, s.pk, s.name) for s in streets),
        *(Choice(Level.COMMUNITY, c.pk, c.name) for c in communities),
        *(Choice(Level.GRID, g.pk, f"{g.community.name} {g.name}") for g in grids),
    ]


def street_of(choice: Choice) -> Street | None:
    """The street of the area; None for a district."""
    if choice.level == DISTRICT:
        return None
    if choice.level == Level.STREET:
        return Street.objects.get(pk=choice.pk)
    if choice.level == Level.COMMUNITY:
        return Street.objects.get(communities__pk=choice.pk)
    return Street.objects.get(communities__grids__pk=choice.pk)


def figures_on(choice: Choice, day: date) -> dict[str, int] | None:
    """The area's figures of `day`, or None when that day has no snapshot."""
    if choice.level == DISTRICT:
        return district_figures(District.objects.get(pk=choice.pk), day)
    row = AreaFigures.objects.filter(level=choice.level, area_id=choice.pk, day=day).first()
    return row.figures if row is not None else None


def snapshot_of(street: Street, day: date) -> Snapshot | None:
    return Snapshot.objects.filter(street=street, day=day).select_related("built_by").first()


def last_day(choice: Choice) -> date | None:
    if choice.level == DISTRICT:  # the last day every street has: the earliest of their last days
        lasts = [
            last_day(Choice(Level.STREET, pk, ""))
            for pk in Street.objects.filter(district_id=choice.pk).values_list("pk", flat=True)
        ]
        return None if not lasts or None in lasts else min(d for d in lasts if d is not None)
    row = AreaFigures.objects.filter(level=choice.level, area_id=choice.pk).order_by("-day")
    return row.values_list("day", flat=True).first()


def series(choice: Choice, last: date, days: int, keys: tuple[str, ...]) -> dict[str, list]:
    """{"days": [...], key: [value or None per day]} over the `days` days ending `last` (None
    for a day without a snapshot), in one query."""
    if choice.level == DISTRICT:
        return district_series(District.objects.get(pk=choice.pk), last, days, keys)
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


def top_areas(user: User) -> list[tuple[str, int]]:
    """The areas whose sum is everything `user` holds `view` on, without counting an area twice:
    the streets held, the communities outside them, the grids outside those and outside the
    other grids held (a grid worker's grid A, not also its small grid A1)."""
    streets = set(areas_held(user, Action.VIEW, Street).values_list("pk", flat=True))
    communities = {
        pk
        for pk, street in areas_held(user, Action.VIEW, Community).values_list("pk", "street_id")
        if street not in streets
    }
    grids = {
        pk: (community, parent)
        for pk, community, parent, street in areas_held(user, Action.VIEW, Grid).values_list(
            "pk", "community_id", "parent_id", "community__street_id"
        )
        if street not in streets and community not in communities
    }
    return [
        *((Level.STREET, pk) for pk in sorted(streets)),
        *((Level.COMMUNITY, pk) for pk in sorted(communities)),
        *((Level.GRID, pk) for pk, (_c, parent) in sorted(grids.items()) if parent not in grids),
    ]


def summed_series(user: User, days: list[date], keys: tuple[str, ...]) -> dict[str, list]:
    """{key: [the sum over `top_areas(user)` per day, None for a day some area has no snapshot
    of]} in one query (None everywhere for a user who holds no area)."""
    areas = top_areas(user)
    found: dict[str, list] = {key: [None] * len(days) for key in keys}
    if not areas:
        return found
    wanted = set(areas)
    rows: dict[date, list[dict]] = {}
    for level, pk, day, figures in AreaFigures.objects.filter(
        level__in={level for level, _ in areas},
        area_id__in={pk for _, pk in areas},
        day__gte=days[0],
        day__lte=days[-1],
    ).values_list("level", "area_id", "day", "figures"):
        if (level, pk) in wanted:
            rows.setdefault(day, []).append(figures)
    for index, day in enumerate(days):
        if len(rows.get(day, ())) == len(areas):
            for key in keys:
                found[key][index] = sum(figures.get(key, 0) for figures in rows[day])
    return found
