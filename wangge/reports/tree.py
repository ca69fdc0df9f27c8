"""The street's area tree, and the roll-up of figures over it.

Each figure query groups its rows by grid (and community, for rows that belong to a community but
no grid, such as a community's checkpoint); `Own` collects what each area holds itself, and
`Tree.roll_up` adds it upward: a grid's figures include its small grids', a community's all its
grids', the street's all its communities'. A value is a count (summed) or a set of ids (joined, so
a zone over two grids counts once in their community); sets become their sizes at the end."""

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from wangge.regions.models import Community, Grid, Street

Key = tuple[str, int]  # (level, area id)
Value = int | set[int]


@dataclass
class Area:
    level: str
    pk: int
    name: str


@dataclass
class Tree:
    street: Street
    communities: dict[int, str]
    grids: dict[int, tuple[str, int, int | None]]  # grid id → (name, community id, parent id)

    @classmethod
    def of(cls, street: Street) -> "Tree":
        communities = dict(
            Community.objects.filter(street=street).order_by("pk").values_list("pk", "name")
        )
        grids = {
            pk: (name, community_id, parent_id)
            for pk, name, community_id, parent_id in Grid.objects.filter(community__street=street)
            .order_by("pk")
            .values_list("pk", "name", "community_id", "parent_id")
        }
        return cls(street, communities, grids)

    def areas(self) -> list[Area]:
        """The street, then its communities, then its grids."""
        return [
            Area("street", self.street.pk, self.street.name),
            *(Area("community", pk, name) for pk, name in self.communities.items()),
            *(Area("grid", pk, name) for pk, (name, _, _) in self.grids.items()),
        ]

    def key(self, grid_id: int | None, community_id: int | None = None) -> Key:
        """Where a row belongs: its grid, else its community, else the street."""
        if grid_id in self.grids:
            return ("grid", grid_id)
        if community_id in self.communities:
            return ("community", community_id)
        return ("street", self.street.pk)

    def roll_up(self, own: "Own") -> dict[Key, dict[str, int]]:
        totals: dict[Key, dict[str, Value]] = {}
        children = self.children

        def grid_total(pk: int) -> dict[str, Value]:
            if ("grid", pk) not in totals:
                total = merged({}, own.of(("grid", pk)))
                for child in children.get(pk, ()):
                    merged(total, grid_total(child))
                totals[("grid", pk)] = total
            return totals[("grid", pk)]

        street_total = merged({}, own.of(("street", self.street.pk)))
        for community in self.communities:
            total = merged({}, own.of(("community", community)))
            for pk, (_, community_id, _) in self.grids.items():
                grid_total(pk)
                if community_id == community:
                    merged(total, own.of(("grid", pk)))
            totals[("community", community)] = total
            merged(street_total, total)
        totals[("street", self.street.pk)] = street_total
        return {key: sized(values) for key, values in totals.items()}

    @property
    def children(self) -> dict[int, list[int]]:
        found: dict[int, list[int]] = defaultdict(list)
        for pk, (_, _, parent) in self.grids.items():
            if parent in self.grids:
                found[parent].append(pk)
        return found


@dataclass
class Own:
    """What each area holds itself, before the roll-up."""

    tree: Tree
    values: dict[Key, dict[str, Value]] = field(default_factory=lambda: defaultdict(dict))

    def add(self, grid_id: Any, community_id: Any, name: str, value: Value) -> None:
        merged(self.values[self.tree.key(grid_id, community_id)], {name: value})

    def of(self, key: Key) -> dict[str, Value]:
        return self.values.get(key, {})


def merged(into: dict[str, Value], more: dict[str, Value]) -> dict[str, Value]:
    for name, value in more.items():
        held = into.get(name)
        if isinstance(value, set):
            into[name] = (held if isinstance(held, set) else set()) | value
        else:
            into[name] = (held if isinstance(held, int) else 0) + value
    return into


def sized(values: dict[str, Value]) -> dict[str, int]:
    return {
        name: len(value) if isinstance(value, set) else value
        for name, value in sorted(values.items())
    }
