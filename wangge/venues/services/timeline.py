"""The venue timeline: every service that changes a venue writes its line here, in its own
transaction, with who and why."""

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
