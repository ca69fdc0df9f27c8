"""The report's reads: over the snapshots (`snapshots`: which areas a user may see, a day's
figures, series over days), over the approvals (`approvals`) and the upstream tables (`upstream`).
Nothing here reads the register."""

from wangge.reports.selectors.snapshots import (
    Choice,
    areas_for,
    figures_on,
    last_day,
    series,
    snapshot_of,
    street_of,
    summed_series,
    top_areas,
)

__all__ = [
    "Choice",
    "areas_for",
    "figures_on",
    "last_day",
    "series",
    "snapshot_of",
    "street_of",
    "summed_series",
    "top_areas",
]
