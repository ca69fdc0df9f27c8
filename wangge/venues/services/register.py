"""Registering and changing venues by hand; the import (venues/importing) writes through the same
field rules (`venue_fields`)."""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from wangge.checkpoints.tokens import new_token
from wangge.core.identity import IdentityError, parse_phone, parse_uscc
from wangge.core.origin import Origin
from wangge.core.services import audit_record, field_changes
from wangge.regions.models import Grid
from wangge.venues.models import EventKind, Venue, VenueKind, VenueStatus
from wangge.venues.services.timeline import event_add

TRACKED = (
    "name",
    "kind_id",
    "grid_id",
    "address",
    "uscc",
    "responsible_name",
    "responsible_phone_masked",
    "staff_count",
    "latitude",
    "longitude",
    "status",
)


@dataclass(frozen=True)
class VenueData:
    name: str
    kind: VenueKind
    grid: Grid
    address: str = ""
    uscc: str = ""
    responsible_name: str = ""
    responsible_phone: str = ""
    staff_count: int = 0
    latitude: Decimal | None = None
    longitude: Decimal | None = None


def clean_identifiers(uscc: str, phone: str) -> tuple[str, str]:
    """The USCC and phone checked by their own rules; a ValidationError names the field."""
    errors: dict[str, str] = {}
    try:
        uscc = parse_uscc(uscc)
    except IdentityError as error:
        errors["uscc"] = str(error)
    try:
        phone = parse_phone(phone) if phone else ""
    except IdentityError as error:
        errors["responsible_phone"] = str(error)
    if errors:
        raise ValidationError(errors)
    return uscc, phone


def venue_snapshot(venue: Venue) -> dict[str, Any]:
    """The tracked fields as the timeline and the audit record them (coordinates as text)."""
    return {
        name: str(value) if isinstance(value, Decimal) else value
        for name in TRACKED
        for value in [getattr(venue, name)]
    }


def venue_fields(venue: Venue, data: VenueData, uscc: str, phone: str) -> None:
    """Set the venue's fields from `data`, the USCC and phone already checked (clean_identifiers);
    the hand-made and the imported venues take their values here alike."""
    venue.name = data.name.strip()
    venue.kind = data.kind
    venue.grid = data.grid
    venue.address = data.address.strip()
    venue.uscc = uscc
    venue.responsible_name = data.responsible_name.strip()
    venue.set_responsible_phone(phone)
    venue.staff_count = data.staff_count
    venue.latitude = data.latitude
    venue.longitude = data.longitude


def _uscc_free(uscc: str, venue_id: int | None) -> None:
    if uscc and Venue.objects.filter(uscc=uscc).exclude(pk=venue_id).exists():
        raise ValidationError(
            {
                "uscc": f"统一社会信用代码“{uscc}”已登记给另一场所 / USCC '{uscc}' belongs to another venue"
            }
        )


@transaction.atomic
def venue_create(*, by: Any, data: VenueData, origin: Origin = Origin.SYSTEM) -> Venue:
    uscc, phone = clean_identifiers(data.uscc, data.responsible_phone)
    _uscc_free(uscc, None)
    token = new_token()
    venue = Venue(code_sealed=token.sealed, code_hash=token.hash, status=VenueStatus.OPEN)
    venue_fields(venue, data, uscc, phone)
    venue.full_clean(exclude=["code_sealed", "code_hash"])
    venue.save()
    event_add(venue, EventKind.CREATED, by=by)
    audit_record(actor=by, action="venue.create", target=venue, origin=origin)
    return venue


@transaction.atomic
def venue_update(
    *, by: Any, venue_id: int, data: VenueData, origin: Origin = Origin.SYSTEM
) -> Venue:
    venue = Venue.objects.select_for_update().get(pk=venue_id)
    uscc, phone = clean_identifiers(data.uscc, data.responsible_phone)
    _uscc_free(uscc, venue.pk)
    before = venue_snapshot(venue)
    venue_fields(venue, data, uscc, phone)
    venue.full_clean(exclude=["code_sealed", "code_hash"])
    changes = field_changes(before, venue_snapshot(venue))
    if changes:
        venue.save()
        event_add(venue, EventKind.UPDATED, by=by, changes=changes)
        audit_record(actor=by, action="venue.update", target=venue, changes=changes, origin=origin)
    return venue


@transaction.atomic
def venue_code_reissue(*, by: Any, venue_id: int, origin: Origin = Origin.SYSTEM) -> Venue:
    """A new venue code: the printed poster with the old one stops recording visits."""
    venue = Venue.objects.select_for_update().get(pk=venue_id)
    token = new_token()
    venue.code_sealed, venue.code_hash = token.sealed, token.hash
    venue.save(update_fields=["code_sealed", "code_hash", "updated_at"])
    event_add(venue, EventKind.UPDATED, by=by, text="重新生成场所码")
    audit_record(actor=by, action="venue.code_reissue", target=venue, origin=origin)
    return venue
