"""五色工作法 (seed 002): the risk colours of grids and compounds in force, counted. Setting and
ending them (the street command's decision) live in colours/area_colours.py."""

from django.db.models import Count

from wangge.regions.choices import AreaRiskColour
from wangge.regions.models.zones import AreaColourQuerySet


def area_colour_counts(area_colours: AreaColourQuerySet) -> dict[str, int]:
    """colour → number of areas currently carrying it, every colour present (zeros included)."""
    counts = dict(
        area_colours.current()
        .order_by()
        .values("colour")
        .annotate(n=Count("pk"))
        .values_list("colour", "n")
    )
    return {colour: counts.get(colour, 0) for colour in AreaRiskColour.values}
