"""The street's existing areas, looked up set-based, and what the importer may do in them.

A row names its place by community, grid, compound, building, unit and room. The index loads the
street's communities, grids, compounds, buildings and households in a handful of queries, resolves
each row's place, and answers whether the importer may import there or create what is missing
(creating a community needs the street; a grid, the community; the street itself, the whole
deployment — an administrator or the command line).
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from wangge.accounts.authority import areas_held, holds
from wangge.core.roles import Action
from wangge.people.importing.rows import PlaceKey
from wangge.regions.models import Building, Community, Compound, Grid, Household, Street

HouseholdRef = tuple[
    str, Any
]  # ("id", pk) for a stored household, ("new", PlaceKey) for one to create


@dataclass(slots=True)
class StoredHousehold:
    pk: int
    grid_id: int
    landlord_id: int | None
    kind: str


@dataclass
class AreaIndex:
    street: Street | None
    street_name: str
    communities: dict[str, int] = field(default_factory=dict)
    community_names: dict[int, str] = field(default_factory=dict)
    grids: dict[tuple[str, str], int] = field(default_factory=dict)
    grid_names: dict[int, str] = field(default_factory=dict)
    compounds: dict[tuple[str, str], int] = field(default_factory=dict)
    buildings: dict[tuple[str, str, str], int] = field(default_factory=dict)
    households: dict[PlaceKey, StoredHousehold] = field(default_factory=dict)
    import_grid_ids: set[int] = field(default_factory=set)
    creatable_grid_communities: set[int] = field(default_factory=set)
    may_create_communities: bool = False
    may_create_street: bool = False

    @classmethod
    def load(cls, *, street_name: str, by: Any, community_names: Iterable[str]) -> "AreaIndex":
        street = Street.objects.filter(name=street_name).first()
        index = cls(street=street, street_name=street_name)
        everything = by is None or holds(by, Action.IMPORT, None)
        index.may_create_street = everything
        if street is None:
            index.may_create_communities = everything
            return index
        index.may_create_communities = everything or holds(by, Action.IMPORT, street)
        names = sorted(set(community_names))
        for pk, name in Community.objects.filter(street=street, name__in=names).values_list(
            "pk", "name"
        ):
            index.communities[name] = pk
            index.community_names[pk] = name
        ids = list(index.communities.values())
        grids = Grid.objects.filter(community_id__in=ids)
        for pk, community_id, name in grids.values_list("pk", "community_id", "name"):
            index.grids[(index.community_names[community_id], name)] = pk
            index.grid_names[pk] = name
        if everything:
            index.import_grid_ids = set(index.grid_names)
            index.creatable_grid_communities = set(ids)
        else:
            allowed = Grid.objects.restrict(by, Action.IMPORT).filter(community_id__in=ids)
            index.import_grid_ids = set(allowed.values_list("pk", flat=True))
            held = areas_held(by, Action.IMPORT, Community).filter(pk__in=ids)
            index.creatable_grid_communities = set(held.values_list("pk", flat=True))
        index._load_dwellings(ids)
        return index

    def _load_dwellings(self, community_ids: list[int]) -> None:
        compounds = Compound.objects.filter(community_id__in=community_ids)
        compound_keys: dict[int, tuple[str, str]] = {}
        for pk, community_id, name in compounds.values_list("pk", "community_id", "name"):
            compound_key = (self.community_names[community_id], name)
            self.compounds[compound_key] = pk
            compound_keys[pk] = compound_key
        buildings = Building.objects.filter(compound_id__in=list(compound_keys))
        building_keys: dict[int, tuple[str, str, str]] = {}
        for pk, compound_id, name in buildings.values_list("pk", "compound_id", "name"):
            building_key = (*compound_keys[compound_id], name)
            self.buildings[building_key] = pk
            building_keys[pk] = building_key
        households = Household.objects.filter(building__compound__community_id__in=community_ids)
        for pk, building_id, unit, room, grid_id, landlord_id, kind in households.values_list(
            "pk", "building_id", "unit", "room", "grid_id", "landlord_id", "kind"
        ):
            household_key = (*building_keys[building_id], unit, room)
            self.households[household_key] = StoredHousehold(pk, grid_id, landlord_id, kind)

    def household_ref(self, place: PlaceKey) -> HouseholdRef:
        stored = self.households.get(place)
        return ("id", stored.pk) if stored else ("new", place)

    def grid_id(self, community: str, grid: str) -> int | None:
        return self.grids.get((community, grid))

    def refusal(self, community: str, grid: str) -> str | None:
        """Why the importer may not import into this community and grid, or None if they may."""
        community_id = self.communities.get(community)
        if community_id is None:
            if self.may_create_communities:
                return None
            return (
                f"社区“{community}”不存在或不在您的管辖范围内 / community '{community}' does not "
                "exist or is outside your area"
            )
        grid_id = self.grids.get((community, grid))
        if grid_id is None:
            if community_id in self.creatable_grid_communities:
                return None
        elif grid_id in self.import_grid_ids:
            return None
        return f"网格“{grid}”不在您的管辖范围内 / grid '{grid}' is outside your area"
