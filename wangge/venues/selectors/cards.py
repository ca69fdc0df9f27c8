"""Reads of the cards: the venues of a street under a card now (the public list and its
benchmark), and a venue by its code (the public status page)."""

from dataclasses import dataclass

from django.utils import timezone

from wangge.checkpoints.tokens import token_hash
from wangge.venues.models import Card, CardColour, Venue, VenueStatus


@dataclass(frozen=True)
class Carded:
    name: str
    kind: str
    colour: str
    label: str  # 黄牌整改中 or 红牌停业整顿, in the reader's language
    since: str  # the card's day, Beijing time, as YYYY-MM-DD


def carded_venues(street_id: int) -> list[Carded]:
    """The venues of a street under an open card, red first, then the longest-carded; ready to
    show as they are (a long list is drawn without a filter per row)."""
    rows = (
        Card.objects.filter(closed_at__isnull=True, venue__grid__community__street_id=street_id)
        .order_by("-colour", "issued_at", "venue__name")
        .values_list("venue__name", "venue__kind__name", "colour", "issued_at")
    )
    labels = {colour: str(VenueStatus(colour).label) for colour in CardColour.values}
    return [
        Carded(name, kind, colour, labels[colour], f"{timezone.localdate(since):%Y-%m-%d}")
        for name, kind, colour, since in rows
    ]


def venue_by_code(token: str) -> Venue | None:
    """The venue whose code (场所码) is `token`; None for any other text."""
    if not token or len(token) > 64:
        return None
    return Venue.objects.select_related("kind").filter(code_hash=token_hash(token)).first()
