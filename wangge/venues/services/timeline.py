"""The venue timeline: every service that changes a venue writes its line here, in its own
transaction, with who and why."""

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.utils import timezone

from wangge.venues.models import Venue, VenueEvent


def event_add(
    venue: Venue,
    kind: str,
    *,
    by: Any = None,
    text: str = "",
    changes: dict | None = None,
    at: datetime | None = None,
) -> VenueEvent:
    return VenueEvent.objects.create(
        venue=venue,
        kind=kind,
        by=by if getattr(by, "pk", None) else None,
        text=text[:300],
        changes=changes or {},
        at=at or timezone.now(),
    )


def events_add(
    lines: Iterable[tuple[Venue, str, str, dict]], *, by: Any = None, at: datetime | None = None
) -> int:
    """Many lines at once, each (venue, kind, text, changes), as an import writes them: a thousand
    to an INSERT. How many were written."""
    at = at or timezone.now()
    who = by if getattr(by, "pk", None) else None
    events = [
        VenueEvent(venue=venue, kind=kind, by=who, text=text[:300], changes=changes, at=at)
        for venue, kind, text, changes in lines
    ]
    VenueEvent.objects.bulk_create(events, batch_size=1000)
    return len(events)
