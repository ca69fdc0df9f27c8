"""Reads over household colours: counts per colour at every level, and the colour history.

Counts are one GROUP BY over households already passed through `.restrict(user, "view")`, so a
worker never counts what lies outside their scope.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, QuerySet
from django.urls import reverse

from wangge.colours.markers import household_markers
from wangge.colours.overrides import may_override
from wangge.regions.choices import (
    HOUSEHOLD_COLOUR_HEX,
    HOUSEHOLD_COLOUR_MEANING,
    HouseholdColour,
)
from wangge.regions.models import (
    Building,
    Community,
    Grid,
    Household,
    HouseholdColourChange,
    HouseholdColourOverride,
    Street,
)
from wangge.regions.selectors import grids_in_order
from wangge.regions.zones import building_zone_kinds

COLOURS = HouseholdColour.values


def colour_counts(households: QuerySet[Household], by: str) -> dict[Any, dict[str, int]]:
    """{value of `by`: {colour: households}} in one GROUP BY query."""
    counts: dict[Any, dict[str, int]] = defaultdict(lambda: dict.fromkeys(COLOURS, 0))
    rows = households.order_by().values(by, "colour").annotate(n=Count("pk"))
    for key, colour, n in rows.values_list(by, "colour", "n"):
        counts[key][colour] = n
    return counts


def colour_totals(households: QuerySet[Household]) -> dict[str, int]:
    """{colour: households}, every colour present."""
    rows = households.order_by().values("colour").annotate(n=Count("pk"))
    counts = dict(rows.values_list("colour", "n"))
    return {colour: counts.get(colour, 0) for colour in COLOURS}


@dataclass
class CountRow:
    """A line of a colour table: an area, its link, its households per colour."""

    label: str
    url: str | None
    counts: dict[str, int]
    depth: int = 0
    cells: list[int] = field(init=False)
    total: int = field(init=False)

    def __post_init__(self) -> None:
        self.cells = [self.counts.get(colour, 0) for colour in COLOURS]
        self.total = sum(self.cells)


def legend() -> list[dict[str, str]]:
    return [
        {
            "colour": colour,
            "label": str(HouseholdColour(colour).label),
            "meaning": str(HOUSEHOLD_COLOUR_MEANING[colour]),
            "hex": HOUSEHOLD_COLOUR_HEX[colour],
        }
        for colour in COLOURS
    ]


def street_colour_tables(user: Any, street: Street) -> dict[str, Any]:
    """Per community and per grid of the street (within scope): households per colour, the
    street's totals, and the chart's data (communities × colours)."""
    households = Household.objects.restrict(user).filter(grid__community__street=street)
    by_community = colour_counts(households, "grid__community")
    by_grid = colour_counts(households, "grid")
    communities = list(Community.objects.restrict(user).filter(street=street))
    grids = grids_in_order(Grid.objects.restrict(user).filter(community__street=street))
    community_rows = [
        CountRow(c.name, reverse("regions:community_detail", args=[c.pk]), by_community[c.pk])
        for c in communities
    ]
    grid_rows = [
        CountRow(
            f"{g.community.name} · {g.name}",
            reverse("colours:grid", args=[g.pk]),
            by_grid[g.pk],
            depth=g.depth,  # type: ignore[attr-defined]  # set by grids_in_order
        )
        for g in grids
    ]
    totals = CountRow(street.name, None, colour_totals(households))
    chart = {
        "labels": [row.label for row in community_rows],
        "series": [
            {
                "name": str(HouseholdColour(colour).label),
                "colour": HOUSEHOLD_COLOUR_HEX[colour],
                "data": [row.counts[colour] for row in community_rows],
            }
            for colour in COLOURS
        ],
    }
    return {"communities": community_rows, "grids": grid_rows, "totals": totals, "chart": chart}


def colour_history(
    user: Any, household: Household, limit: int = 30
) -> QuerySet[HouseholdColourChange]:
    return (
        HouseholdColourChange.objects.restrict(user)
        .filter(household=household)
        .select_related("by")[:limit]
    )


def household_colour_panel(user: Any, household: Household) -> dict[str, Any]:
    """What the household page shows of 五色: colour, meaning, manual colour in force, markers,
    zone and the history of changes. Each read goes through `.restrict(user)`, so each carries
    the user's street (docs/scale-out.md)."""
    override = (
        HouseholdColourOverride.objects.restrict(user)
        .in_force()
        .filter(household=household)
        .first()
    )
    households = Household.objects.restrict(user).filter(pk=household.pk)
    markers = household_markers(households).get(household.pk, [])
    zone = building_zone_kinds(Building.objects.filter(pk=household.building_id)).get(
        household.building_id
    )
    return {
        "colour": household.colour,
        "colour_meaning": HOUSEHOLD_COLOUR_MEANING[household.colour],
        "override": override,
        "markers": markers,
        "zone": zone,
        "history": colour_history(user, household),
        "may_override": may_override(user, household),
    }
