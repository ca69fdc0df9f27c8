"""Reads of the register pages: the venues a user sees, filtered, and a venue's page."""

from typing import Any

from django.conf import settings
from django.db.models import Count, Q, QuerySet

from wangge.core.roles import Action
from wangge.venues.models import Card, Venue, VenueStatus


def venues_for(user: Any, action: str = Action.VIEW) -> QuerySet[Venue]:
    return Venue.objects.restrict(user, action).select_related("kind", "grid__community")


def venues_filtered(
    user: Any, *, q: str = "", kind: Any = None, status: str = "", grid: Any = None
) -> QuerySet[Venue]:
    rows = venues_for(user)
    if q:
        rows = rows.filter(
            Q(name__icontains=q)
            | Q(address__icontains=q)
            | Q(uscc=q.upper())
            | Q(responsible_name=q)
        )
    if kind is not None:
        rows = rows.filter(kind=kind)
    if status:
        rows = rows.filter(status=status)
    if grid is not None:
        rows = rows.filter(grid=grid)
    return rows.order_by("grid__community__name", "grid__name", "name")


def status_counts(user: Any) -> dict[str, int]:
    counts = dict(
        venues_for(user)
        .order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return {value: counts.get(value, 0) for value in VenueStatus.values}


def open_card(venue: Venue) -> Card | None:
    return venue.cards.filter(closed_at__isnull=True).order_by("-issued_at").first()


MAP_POINTS = 500
# Where a map with no venue placed yet opens: 东阳市, the demo street's city.
DEFAULT_CENTER = (29.2895, 120.2417)


def map_context(user: Any, venue: Venue | None) -> dict[str, Any]:
    """What the map of the venue form needs: the tile server (if any) and the venues around."""
    placed = venues_for(user).filter(latitude__isnull=False, longitude__isnull=False)
    if venue is not None:
        placed = placed.exclude(pk=venue.pk).filter(grid__community=venue.grid.community_id)
    points = [
        {"name": name, "lat": float(lat), "lng": float(lng)}
        for name, lat, lng in placed.values_list("name", "latitude", "longitude")[:MAP_POINTS]
        if lat is not None and lng is not None
    ]
    return {
        "tiles": settings.WANGGE["MAP_TILES"],
        "attribution": settings.WANGGE["MAP_ATTRIBUTION"],
        "points": points,
        "center": DEFAULT_CENTER,
    }
