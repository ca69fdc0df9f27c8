"""Reads over the areas that need no other app: counts per area in one GROUP BY, the grids in
tree order. The counts of persons per area are `people.area_selectors`."""

from collections import defaultdict
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db.models import Count, Model, QuerySet

from wangge.regions.models import Grid

_Row = TypeVar("_Row", bound=Model)


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


def annotate_counts(rows: list[_Row], counts: AreaCounts) -> list[_Row]:
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
