"""A campaign's progress per grid and per building, and the map of one building's households.

The counts come from one grouped query over the campaign's visits that the user may see (grid ×
building × status, found through the `visit_progress_grid` index); the grid, community and
campaign totals are sums of the building rows, so every level adds up to the same numbers. Done
means closed: answered, answered by a proxy, refused or moved. "Persons checked" sums the members
each visit answered (itself or by proxy) accounted for (`Visit.persons`, set when it closed): a
fact of the visit, which a member moving out later does not undo.
"""

from collections import defaultdict
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Count, Max, OuterRef, Subquery, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404

from wangge.colours.floorplan import room_positions
from wangge.core.natural import natural_sort_key
from wangge.core.roles import Action
from wangge.regions.models import Building, Community, Grid
from wangge.sweeps.models import Attempt, AttemptResult, Campaign, Visit, VisitStatus

CHECKED = (VisitStatus.ANSWERED, VisitStatus.PROXY)


@dataclass
class Counts:
    answered: int = 0
    proxy: int = 0
    pending: int = 0
    refused: int = 0
    moved: int = 0
    persons: int = 0

    @property
    def total(self) -> int:
        return self.answered + self.proxy + self.pending + self.refused + self.moved

    @property
    def done(self) -> int:
        return self.total - self.pending

    @property
    def percent(self) -> int:
        """Done as a whole percentage, rounded down (99 until the last door closes)."""
        return self.done * 100 // self.total if self.total else 0

    def add(self, other: "Counts") -> None:
        for name in ("answered", "proxy", "pending", "refused", "moved", "persons"):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def as_dict(self) -> dict[str, int]:
        return {**asdict(self), "total": self.total, "done": self.done, "percent": self.percent}


@dataclass
class Row:
    """One grid, community or building with its counts; `parent` is the grid of a building and
    the community of a grid."""

    pk: int
    name: str
    parent: int | None = None
    counts: Counts = field(default_factory=Counts)

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.pk, "name": self.name, "parent_id": self.parent, **self.counts.as_dict()}


@dataclass
class Progress:
    campaign: Campaign
    total: Counts
    communities: list[Row]
    grids: list[Row]
    buildings: list[Row]

    def buildings_of(self, grid_id: int) -> list[Row]:
        return [row for row in self.buildings if row.parent == grid_id]


def campaign_for(user: Any, pk: int) -> Campaign:
    """The campaign if it covers one of the user's grids (or their community or street); else 404."""
    return get_object_or_404(Campaign.objects.restrict(user, Action.VIEW), pk=pk)


def _named(rows: list[Row], names: dict[int, str]) -> list[Row]:
    for row in rows:
        row.name = names.get(row.pk, str(row.pk))
    return sorted(rows, key=lambda row: natural_sort_key(row.name))


def campaign_progress(*, user: Any, campaign: Campaign) -> Progress:
    """The campaign's counts over the visits `user` may see, per building, grid and community."""
    visits = Visit.objects.restrict(user, Action.VIEW).filter(campaign=campaign)
    by_building: dict[tuple[int, int], Counts] = defaultdict(Counts)
    grouped = visits.order_by().values_list("grid_id", "building_id", "status")
    for grid_id, building_id, status, n, persons in grouped.annotate(
        n=Count("pk"), persons=Sum("persons")
    ):
        counts = by_building[grid_id, building_id]
        setattr(counts, status, n)
        if status in CHECKED:
            counts.persons += persons

    total = Counts()
    grids: dict[int, Row] = {}
    buildings: dict[tuple[int, int], Row] = {}
    for (grid_id, building_id), counts in by_building.items():
        total.add(counts)
        grids.setdefault(grid_id, Row(grid_id, "")).counts.add(counts)
        # A building whose households lie in two grids has one row in each.
        buildings[grid_id, building_id] = Row(building_id, "", grid_id, counts)
    grid_info = {  # a grid is named with its community: every community has its 第一网格
        pk: (f"{community}·{name}", community_id)
        for pk, name, community_id, community in Grid.objects.filter(pk__in=grids).values_list(
            "pk", "name", "community_id", "community__name"
        )
    }
    grid_rows = _named(list(grids.values()), {pk: name for pk, (name, _) in grid_info.items()})
    communities: dict[int, Row] = {}
    for row in grid_rows:
        row.parent = grid_info[row.pk][1]
        if row.parent is not None:
            communities.setdefault(row.parent, Row(row.parent, "")).counts.add(row.counts)
    building_names = {
        pk: f"{compound}{name}"
        for pk, compound, name in Building.objects.filter(
            pk__in={pk for _, pk in buildings}
        ).values_list("pk", "compound__name", "name")
    }
    return Progress(
        campaign=campaign,
        total=total,
        communities=_named(
            list(communities.values()),
            dict(Community.objects.filter(pk__in=communities).values_list("pk", "name")),
        ),
        grids=grid_rows,
        buildings=_named(list(buildings.values()), building_names),
    )


@dataclass
class Door:
    """One household on the building map: its visit's status and the attempts at its door."""

    household_id: int
    room: str
    status: str
    attempts: int
    last_result: str
    last_at: datetime | None

    @property
    def status_label(self) -> str:
        return str(VisitStatus(self.status).label)

    @property
    def last_result_label(self) -> str:
        return str(AttemptResult(self.last_result).label) if self.last_result else ""


@dataclass
class MapUnit:
    name: str
    columns: int
    floors: list[tuple[int | None, list[Door | None]]]  # top floor first; None: no such room


@dataclass
class BuildingMap:
    building: Building
    units: list[MapUnit]
    counts: Counts


def _unit(name: str, doors: list[tuple[int | None, Door]]) -> MapUnit:
    """The unit laid out as the floor plan lays it (colours.floorplan.room_positions)."""
    columns, width = room_positions([(floor, door.room) for floor, door in doors])
    rows: dict[int | None, list[Door | None]] = {}
    for (floor, door), column in zip(doors, columns, strict=True):
        rows.setdefault(floor, [None] * width)[column] = door
    order = sorted(rows, key=lambda f: (f is not None, f if f is not None else 0), reverse=True)
    return MapUnit(name, width, [(floor, rows[floor]) for floor in order])


def building_map(*, user: Any, campaign: Campaign, building_id: int) -> BuildingMap:
    """The households of one building in the campaign that `user` may see, room by room; a
    building without any such household is not found (404)."""
    last = Attempt.objects.filter(visit=OuterRef("pk")).order_by("-at", "-pk")
    rows = list(
        Visit.objects.restrict(user, Action.VIEW)
        .filter(campaign=campaign, building_id=building_id)
        .annotate(
            tries=Count("attempts"),
            last_result=Subquery(last.values("result")[:1]),
            last_at=Max("attempts__at"),
        )
        .order_by("household__unit_key", "household__room_key", "pk")
        .values_list(
            "household_id",
            "household__unit",
            "household__floor",
            "household__room",
            "status",
            "tries",
            "last_result",
            "last_at",
        )
    )
    if not rows:
        raise Http404
    counts = Counts()
    by_unit: dict[str, list[tuple[int | None, Door]]] = {}
    for household_id, unit, floor, room, status, tries, result, at in rows:
        setattr(counts, status, getattr(counts, status) + 1)
        door = Door(household_id, room, status, tries, result or "", at)
        by_unit.setdefault(unit, []).append((floor, door))
    building = Building.objects.select_related("compound").get(pk=building_id)
    return BuildingMap(building, [_unit(name, doors) for name, doors in by_unit.items()], counts)
