"""The regions' models: the area tree (areas), household colours and their rules (colours), zones
and area colours (zones)."""

from wangge.regions.choices import HouseholdColour
from wangge.regions.models.areas import (
    DWELLING_ORDER,
    Building,
    Community,
    Compound,
    District,
    Grid,
    Household,
    Street,
)
from wangge.regions.models.colours import (
    HouseholdColourChange,
    HouseholdColourOverride,
    MarkerRule,
    PublicPlanSwitch,
)
from wangge.regions.models.zones import AreaColour, Zone

__all__ = [
    "DWELLING_ORDER",
    "AreaColour",
    "Building",
    "Community",
    "Compound",
    "District",
    "Grid",
    "Household",
    "HouseholdColour",
    "HouseholdColourChange",
    "HouseholdColourOverride",
    "MarkerRule",
    "PublicPlanSwitch",
    "Street",
    "Zone",
]
