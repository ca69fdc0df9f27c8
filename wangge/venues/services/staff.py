"""从业人员: the people who work at a venue, linked to the register when their phone is a
resident's phone that the person adding them may see."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from wangge.core import crypto
from wangge.core.identity import IdentityError, parse_phone
from wangge.core.origin import Origin
from wangge.core.roles import Action
from wangge.core.services import audit_record
from wangge.people.models import Person
from wangge.venues.models import EventKind, Venue, VenueStaff
from wangge.venues.services.timeline import event_add


def _resident(by: Any, phone: str) -> Person | None:
    if not phone:
        return None
    try:
        parsed = parse_phone(phone)
    except IdentityError as error:
        raise ValidationError({"phone": str(error)}) from error
    return (
        Person.objects.restrict(by, Action.VIEW)
        .filter(phone_hash=crypto.blind_index(parsed))
        .order_by("pk")
        .first()
    )


@transaction.atomic
def venue_staff_add(
    *, by: Any, venue: Venue, name: str, role: str = "", phone: str = "", origin: Origin
) -> VenueStaff:
    person = _resident(by, phone)
    member = VenueStaff.objects.create(
        venue=venue, person=person, name=name.strip(), role=role.strip()
    )
    linked = "（已关联居民）" if person else ""
    event_add(venue, EventKind.UPDATED, by=by, text=f"登记从业人员 {member.name}{linked}")
    audit_record(actor=by, action="venue.staff_add", target=venue, origin=origin)
    return member


@transaction.atomic
def venue_staff_remove(*, by: Any, member: VenueStaff, origin: Origin) -> None:
    venue = member.venue
    event_add(venue, EventKind.UPDATED, by=by, text=f"移除从业人员 {member.name}")
    audit_record(actor=by, action="venue.staff_remove", target=venue, origin=origin)
    member.delete()
