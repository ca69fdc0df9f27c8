"""Helpers of the visit tests: venues made as staff make them, their codes, a frozen clock."""

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from wangge.core import crypto
from wangge.venues.models import Venue, VenueKind
from wangge.venues.services.register import VenueData, venue_create

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOON = datetime(2026, 12, 7, 12, 0, tzinfo=SHANGHAI)


def venue(world, name: str, grid=None, lat: str | None = None, lon: str | None = None) -> Venue:
    """A restaurant of grid A unless told otherwise, with its responsible person's phone."""
    return venue_create(
        by=world.users["alice"],
        data=VenueData(
            name=name,
            kind=VenueKind.objects.get(name="餐饮店"),
            grid=grid or world.grid_a,
            responsible_name="钱老板",
            responsible_phone="13511112222",
            latitude=Decimal(lat) if lat else None,
            longitude=Decimal(lon) if lon else None,
        ),
    )


def code_of(place: Venue) -> str:
    """The token the venue's poster carries."""
    return crypto.unseal(place.code_sealed)
