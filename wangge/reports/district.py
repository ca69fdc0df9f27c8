"""The district's report, read from its streets' snapshots (docs/reports.md, "The district"): a
district has no snapshot of its own; its figures of a day are the sum of its streets' street-level
rows, and a day counts only when every street of the district has its snapshot (a sum over some
streets would read as a fall in every figure). Each read is one query, whatever the number of
streets or days. Nothing here reads the register."""

from datetime import date, timedelta
from typing import Any

from django.db.models import Count, Subquery

from wangge.regions.models import District, Street
from wangge.reports.models import AreaFigures, Level


def _street_rows(district: District, fields: tuple[str, ...], **where: Any) -> list[tuple]:
    """`fields` of the district's street-level rows matching `where`, each followed by the number
    of streets the district has (a subquery, so that one query tells whether a day is whole)."""
    streets = Street.objects.filter(district=district).order_by()
    count = streets.values("district").annotate(n=Count("pk")).values("n")
    rows = AreaFigures.objects.filter(level=Level.STREET, area_id__in=streets.values("pk"), **where)
    return list(rows.annotate(streets=Subquery(count)).values_list(*fields, "streets"))


def district_figures(district: District, day: date) -> dict[str, int] | None:
    """{figure: the sum over the district's streets} of `day`; None when a street of the district
    has no snapshot that day, or the district has no street."""
    rows = _street_rows(district, ("figures",), day=day)
    if not rows or len(rows) != rows[0][1]:
        return None
    total: dict[str, int] = {}
    for figures, _streets in rows:
        for key, value in figures.items():
            total[key] = total.get(key, 0) + value
    return dict(sorted(total.items()))


def district_series(
    district: District, last: date, days: int, keys: tuple[str, ...]
) -> dict[str, list]:
    """{"days": [...], key: [the sum over the streets per day, None for a day some street has no
    snapshot of]} over the `days` days ending `last` — `selectors.series` for a district."""
    span = [last - timedelta(days=back) for back in range(days - 1, -1, -1)]
    rows = _street_rows(district, ("day", "figures"), day__gte=span[0], day__lte=last)
    streets = rows[0][2] if rows else 0
    by_day: dict[date, list[dict]] = {}
    for day, figures, _streets in rows:
        by_day.setdefault(day, []).append(figures)
    found: dict[str, list] = {"days": [f"{day:%m-%d}" for day in span]}
    for key in keys:
        found[key] = [
            sum(figures.get(key, 0) for figures in by_day[day])
            if streets and len(by_day.get(day, ())) == streets
            else None
            for day in span
        ]
    return found
