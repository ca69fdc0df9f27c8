"""院区疫情防控平面图: what a compound's (or a building's) floor plan shows, before drawing.

Each building is drawn as units × floors × rooms. Three versions share this one description:
- internal: each room in its colour with all its markers, clickable for staff;
- public (notice board), by default: rooms without colour, public markers only (党员, 楼栋长,
  党小组长), and per unit and building the counts per colour;
- public, per room: as seed 003 posts it, each room in its colour with public markers only, when
  the street command has switched the compound to it (reason, expiry, audited).
No version ever carries a name; the public ones carry no sensitive marker and no household id.
Drawing is in floorplan_svg.py.
"""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from wangge.colours.markers import household_markers, marker_legend
from wangge.core.natural import natural_sort_key
from wangge.regions.choices import HouseholdColour
from wangge.regions.models import Building, Compound, Household
from wangge.regions.overrides import public_plan_switch_in_force
from wangge.regions.zones import building_zone_kinds

INTERNAL = "internal"
PUBLIC = "public"


def empty_counts() -> dict[str, int]:
    return dict.fromkeys(HouseholdColour.values, 0)


@dataclass
class Cell:
    room: str
    colour: str | None  # None: the plan does not show this room's colour
    markers: list[str]
    url: str | None = None


@dataclass
class Unit:
    name: str
    columns: int = 0
    rows: dict[int | None, list[tuple[int, Cell]]] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=empty_counts)


@dataclass
class BuildingPlan:
    pk: int
    name: str
    zone: str | None
    floors: list[int | None]
    units: list[Unit]
    counts: dict[str, int] = field(default_factory=empty_counts)


@dataclass
class Plan:
    title: str
    compound: Compound
    version: str
    per_room: bool  # rooms drawn in colour
    clickable: bool
    buildings: list[BuildingPlan]
    counts: dict[str, int]
    markers: list[tuple[str, str]]
    at: datetime

    @property
    def public(self) -> bool:
        return self.version == PUBLIC

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def _column(room: str, floor: int | None) -> str | None:
    """The position of a room on its floor ("02" of 1502), when the room number says it."""
    prefix = str(floor) if floor is not None else ""
    if prefix and room.isdigit() and room.startswith(prefix) and len(room) > len(prefix):
        return room[len(prefix) :]
    return None


def room_positions(rooms: Sequence[tuple[int | None, str]]) -> tuple[list[int], int]:
    """The column of each (floor, room) of a unit, in the order given, and the number of columns:
    by position on the floor ("02" of 1502) when every room number says it, else in turn."""
    positions = [_column(room, floor) for floor, room in rooms]
    if all(position is not None for position in positions):
        order = {p: i for i, p in enumerate(sorted(set(positions), key=natural_sort_key))}
        return [order[position] for position in positions], len(order)
    taken: dict[int | None, int] = defaultdict(int)
    columns = []
    for floor, _room in rooms:
        columns.append(taken[floor])
        taken[floor] += 1
    return columns, max(taken.values(), default=0)


def _place(unit: Unit, cells: list[tuple[int | None, Cell]]) -> None:
    """Put the unit's cells in rows (floors) and columns (position on the floor)."""
    columns, unit.columns = room_positions([(floor, cell.room) for floor, cell in cells])
    for (floor, cell), column in zip(cells, columns, strict=True):
        unit.rows.setdefault(floor, []).append((column, cell))


def _building(building: Building, rows: list[tuple], zone: str | None) -> BuildingPlan:
    by_unit: dict[str, list[tuple[int | None, Cell]]] = defaultdict(list)
    counts = empty_counts()
    unit_counts: dict[str, dict[str, int]] = defaultdict(empty_counts)
    for unit_name, floor, cell, colour in rows:
        by_unit[unit_name].append((floor, cell))
        counts[colour] += 1
        unit_counts[unit_name][colour] += 1
    units = []
    for unit_name, cells in by_unit.items():  # rows come in natural order (unit, room)
        unit = Unit(name=unit_name, counts=unit_counts[unit_name])
        _place(unit, cells)
        units.append(unit)
    floors = sorted(
        {floor for unit in units for floor in unit.rows},
        key=lambda f: (f is not None, f if f is not None else 0),
        reverse=True,
    )
    return BuildingPlan(building.pk, building.name, zone, floors, units, counts)


def build_plan(
    *,
    user: Any,
    compound: Compound,
    buildings: QuerySet[Building],
    version: str = INTERNAL,
    clickable: bool = False,
) -> Plan:
    """The plan of `buildings` (already restricted to what `user` may see) of `compound`."""
    switch = public_plan_switch_in_force(compound) if version == PUBLIC else None
    per_room = version == INTERNAL or switch is not None
    households = Household.objects.restrict(user).filter(building__in=buildings.values("pk"))
    markers = household_markers(households, public_only=version == PUBLIC)
    zones = building_zone_kinds(buildings)
    link = version == INTERNAL and clickable
    url = reverse("regions:household_detail", args=[0]).replace("/0/", "/{}/")
    by_building: dict[int, list[tuple]] = defaultdict(list)
    rows = households.order_by("unit_key", "room_key", "pk").values_list(
        "pk", "building_id", "unit", "floor", "room", "colour"
    )
    for pk, building_id, unit, floor, room, colour in rows:
        cell = Cell(
            room=room,
            colour=colour if per_room else None,
            markers=markers.get(pk, []),
            url=url.format(pk) if link else None,
        )
        by_building[building_id].append((unit, floor, cell, colour))
    plans = [
        _building(building, by_building[building.pk], zones.get(building.pk))
        for building in buildings.order_by("sort_key", "pk")
    ]
    counts = empty_counts()
    for plan in plans:
        for colour, n in plan.counts.items():
            counts[colour] += n
    return Plan(
        title=f"{compound.name}院区疫情防控平面图",
        compound=compound,
        version=version,
        per_room=per_room,
        clickable=link,
        buildings=plans,
        counts=counts,
        markers=marker_legend(public_only=version == PUBLIC),
        at=timezone.localtime(),
    )
