"""Reads over the registry for the browse pages and the home page (`wangge.front`): scoped
counts, breadcrumb trails.

Every count here is computed from querysets already passed through `.restrict(user, "view")`, so a
worker never learns even the size of an area outside their scope; each is one GROUP BY query.
"""

from collections import defaultdict
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db.models import Case, Count, IntegerField, Model, QuerySet, Value, When
from django.urls import reverse

from wangge.core.scoping import user_can
from wangge.people.models import Person
from wangge.regions.models import Building, Community, Compound, Grid, Household, Street


def counts_by(queryset: QuerySet, field: str) -> dict[Any, int]:
    """{value of `field`: number of rows} in one GROUP BY query."""
    rows = queryset.order_by().values(field).annotate(n=Count("pk")).values_list(field, "n")
    return dict(rows)


@dataclass(frozen=True)
class AreaCounts:
    """Per-row counts: `children` are grids of a community or buildings of a grid."""

    children: dict[Any, int]
    households: dict[Any, int]
    persons: dict[Any, int]


def community_counts(user: Any, communities: QuerySet[Community]) -> AreaCounts:
    """Grids, households and persons the user may see, per community of `communities`."""
    return AreaCounts(
        children=counts_by(
            Grid.objects.restrict(user).filter(community__in=communities), "community"
        ),
        households=counts_by(
            Household.objects.restrict(user).filter(grid__community__in=communities),
            "grid__community",
        ),
        persons=counts_by(
            Person.objects.restrict(user).filter(household__grid__community__in=communities),
            "household__grid__community",
        ),
    )


def grid_counts(user: Any, grids: QuerySet) -> AreaCounts:
    """Buildings, households and persons the user may see, per grid of `grids`."""
    return AreaCounts(
        children=counts_by(Building.objects.restrict(user).filter(grid__in=grids), "grid"),
        households=counts_by(Household.objects.restrict(user).filter(grid__in=grids), "grid"),
        persons=counts_by(
            Person.objects.restrict(user).filter(household__grid__in=grids), "household__grid"
        ),
    )


_Area = TypeVar("_Area", bound=Model)


def annotate_counts(rows: list[_Area], counts: AreaCounts) -> list[_Area]:
    """Attach `n_children`, `n_households`, `n_persons` to each row (no extra queries)."""
    for row in rows:
        row.n_children = counts.children.get(row.pk, 0)  # type: ignore[attr-defined]  # read by the pages
        row.n_households = counts.households.get(row.pk, 0)  # type: ignore[attr-defined]  # read by the pages
        row.n_persons = counts.persons.get(row.pk, 0)  # type: ignore[attr-defined]  # read by the pages
    return rows


def grids_in_order(grids: QuerySet) -> list[Grid]:
    """Big grids each followed by their small grids, with `depth` set for indenting."""
    rows = list(grids.select_related("community", "parent"))
    present = {grid.pk for grid in rows}
    children: dict[int | None, list[Grid]] = defaultdict(list)
    for grid in rows:
        children[grid.parent_id if grid.parent_id in present else None].append(grid)
    ordered: list[Grid] = []

    def visit(parent_id: int | None, depth: int) -> None:
        for grid in children[parent_id]:
            grid.depth = depth  # type: ignore[attr-defined]  # read by the pages
            ordered.append(grid)
            visit(grid.pk, depth + 1)

    visit(None, 0)
    return ordered


def trail_for(user: Any, obj: Model | None) -> list[tuple[str, str | None]]:
    """Breadcrumbs from the street down to `obj`: (label, url), url None where the user may not go."""
    chain: list[tuple[Model, str]] = []
    node = obj
    while node is not None:
        if isinstance(node, Person):
            chain.append((node, "people:person_detail"))
            node = node.household
        elif isinstance(node, Household):
            chain.append((node, "regions:household_detail"))
            node = node.building
        elif isinstance(node, Building):
            chain.append((node, "regions:building_detail"))
            node = node.grid
        elif isinstance(node, Compound):
            chain.append((node, "regions:compound_detail"))
            node = node.community
        elif isinstance(node, Grid):
            chain.append((node, "regions:grid_detail"))
            node = node.parent or node.community
        elif isinstance(node, Community):
            chain.append((node, "regions:community_detail"))
            node = node.street
        elif isinstance(node, Street):
            chain.append((node, "regions:street_detail"))
            node = None
        else:
            raise TypeError(f"no trail for {type(node).__name__}")
    crumbs: list[tuple[str, str | None]] = []
    for item, url_name in reversed(chain):
        label = _label(item)
        url = reverse(url_name, args=[item.pk]) if user_can(user, "view", item) else None
        crumbs.append((label, url))
    return crumbs


def _label(item: Model) -> str:
    if isinstance(item, Grid):
        return item.name
    if isinstance(item, Household):
        return item.dwelling_label
    if isinstance(item, Building):
        return f"{item.compound.name}{item.name}"
    return str(item)


def relation_order() -> Case:
    """Household members in the order of the relation list: head, spouse, children, parents …"""
    whens = [
        When(relation=value, then=Value(rank)) for rank, value in enumerate(Person.Relation.values)
    ]
    return Case(*whens, default=Value(len(whens)), output_field=IntegerField())


def grids_with_counts(user: Any, grids: QuerySet[Grid]) -> list[Grid]:
    """`grids`, big grids first with their small grids, each with scoped counts."""
    return annotate_counts(grids_in_order(grids), grid_counts(user, grids))


def buildings_with_counts(user: Any, buildings: QuerySet[Building]) -> list[Building]:
    """`buildings` with the number of households and persons the user may see in each."""
    rows = list(buildings.select_related("compound", "grid"))
    ids = [row.pk for row in rows]
    counts = AreaCounts(
        children={},
        households=counts_by(Household.objects.restrict(user).filter(building__in=ids), "building"),
        persons=counts_by(
            Person.objects.restrict(user).filter(household__building__in=ids),
            "household__building",
        ),
    )
    return annotate_counts(rows, counts)


def compounds_with_counts(user: Any, compounds: QuerySet[Compound]) -> list[Compound]:
    """`compounds` with the number of buildings, households and persons the user may see."""
    rows = list(compounds)
    counts = AreaCounts(
        children=counts_by(
            Building.objects.restrict(user).filter(compound__in=compounds), "compound"
        ),
        households=counts_by(
            Household.objects.restrict(user).filter(building__compound__in=compounds),
            "building__compound",
        ),
        persons=counts_by(
            Person.objects.restrict(user).filter(household__building__compound__in=compounds),
            "household__building__compound",
        ),
    )
    return annotate_counts(rows, counts)


def households_with_counts(user: Any, households: list[Household]) -> list[Household]:
    """`households` with the number of members the user may see (`n_persons`)."""
    persons = counts_by(Person.objects.restrict(user).filter(household__in=households), "household")
    return annotate_counts(households, AreaCounts(children={}, households={}, persons=persons))
