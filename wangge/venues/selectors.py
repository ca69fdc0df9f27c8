"""Reads of the venues beyond a filter: the venues under a card now, per street (the public list
and its benchmark), and a venue's public status."""

from dataclasses import dataclass
from datetime import datetime

from wangge.checkpoints.tokens import token_hash
from wangge.venues.models import Card, Venue


@dataclass(frozen=True)
class Carded:
    name: str
    kind: str
    colour: str
    since: datetime
    deadline: object


def carded_venues(street_id: int) -> list[Carded]:
    """The venues of a street under an open card, red first, then the longest-carded."""
    rows = (
        Card.objects.filter(closed_at__isnull=True, venue__grid__community__street_id=street_id)
        .order_by("-colour", "issued_at", "venue__name")
        .values_list("venue__name", "venue__kind__name", "colour", "issued_at", "deadline")
    )
    return [Carded(*row) for row in rows]


def venue_by_code(token: str) -> Venue | None:
    """The venue whose code (场所码) is `token`; None for any other text."""
    if not token or len(token) > 64:
        return None
    return Venue.objects.select_related("kind").filter(code_hash=token_hash(token)).first()
