"""Recording a venue-code visit from the public page: no account, the visitor named by their
personal code (小区码) when their browser holds one, otherwise by a phone number.

- The client's address may post VISIT_PER_ADDRESS_PER_MINUTE visits a minute (notify's shared
  token bucket: Redis in the distributed deployment, a database row in the embedded one).
- The same phone or person at the same venue again within VISIT_REPEAT_SECONDS gets its earlier
  visit back, and no second row (a double tap, a reload, a second scan at the door).
- A suspended or closed venue still records visits: tracing needs them most there.
- A visit that looks impossible is flagged (services/visit_flags.py), never refused.

A visit is its own log entry (who, where, when), as a checkpoint scan is: no audit entry per visit.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from wangge.checkpoints import tokens
from wangge.checkpoints.models import PersonalCode
from wangge.core import crypto
from wangge.core.identity import IdentityError, parse_phone
from wangge.core.masking import mask_name, mask_phone
from wangge.notify import ratelimit
from wangge.venues.models import Venue, VenueStatus, Visit
from wangge.venues.services.visit_flags import Earlier, FlagRules, Place, flag_reasons

ADDRESS_BUCKET = "venues.visit:"
FLAG_MAX_LENGTH = 200
# The page tells the visitor these venues may not receive them; the visit is recorded all the same.
SUSPENDED = (VenueStatus.RED, VenueStatus.CLOSED)


class UnknownVenue(Exception):
    """No venue holds this code (never issued, or reissued since the poster was printed)."""


class VisitLimited(Exception):
    message = (
        "提交过于频繁，请稍后再试 / too many visits from this address: wait a minute and try again"
    )


@dataclass(frozen=True)
class VisitInput:
    token: str  # the venue code's token, from the URL
    personal_code: str = ""  # "WGP:<token>", read from the visitor's browser
    phone: str = ""  # typed once, remembered by the browser
    address: str = ""  # the client's address, for the rate limit


@dataclass(frozen=True)
class VisitOutcome:
    visit: Visit
    venue: Venue
    created: bool
    visitor: str  # masked: 张* or 138****5678

    @property
    def suspended(self) -> bool:
        return self.venue.status in SUSPENDED


def _within_address_limit(address_hash: str) -> bool:
    """A token from the address's bucket (keyed by the address's blind index, never the address);
    a limit of 0 turns the check off."""
    per_minute = int(settings.WANGGE["VISIT_PER_ADDRESS_PER_MINUTE"])
    if per_minute <= 0 or not address_hash:
        return True
    return ratelimit.take(ADDRESS_BUCKET + address_hash, 1, per_minute) == 1


def _person_code(text: str) -> PersonalCode | None:
    kind, digest = tokens.parse_payload(text)
    if kind != tokens.PERSON:
        return None
    return (
        PersonalCode.objects.filter(token_hash=digest, revoked_at__isnull=True)
        .select_related("person")
        .only("person_id", "person__name")
        .first()
    )


def _phone(text: str) -> str:
    if not text.strip():
        raise ValidationError({"phone": "请输入手机号码 / type your phone number"})
    try:
        return parse_phone(text)
    except IdentityError as error:
        raise ValidationError({"phone": str(error)}) from error


def _earlier(subject: Q, at: datetime, rules: FlagRules) -> list[tuple[int, Earlier]]:
    """The visitor's latest visits within the rules' lookback, newest first: at most as many as
    the hourly limit, enough to tell a flag."""
    rows = (
        Visit.objects.filter(subject, at__gt=at - rules.lookback, at__lte=at)
        .order_by("-at")
        .values_list(
            "pk",
            "at",
            "venue_id",
            "venue__grid__community_id",
            "venue__latitude",
            "venue__longitude",
        )[: max(rules.per_hour, 1)]
    )
    return [
        (pk, Earlier(when, Place(venue, community, lat, lon)))
        for pk, when, venue, community, lat, lon in rows
    ]


def visit_record(*, data: VisitInput, now: datetime | None = None) -> VisitOutcome:
    """Record a visit (or give back the same visitor's visit of a moment ago). Raises VisitLimited
    (too many from this address), UnknownVenue, or ValidationError naming `phone`.

    One transaction: the address's bucket and the visit commit together; a refused post still
    spends its token (the error is raised once the bucket is committed)."""
    address_hash = crypto.blind_index(data.address) if data.address else ""
    with transaction.atomic():
        if not _within_address_limit(address_hash):
            raise VisitLimited()
        try:
            return _record(data, address_hash, now or timezone.now())
        except (UnknownVenue, ValidationError) as error:
            refused = error
    raise refused


def _visitor(data: VisitInput) -> tuple[PersonalCode | None, str]:
    """The visitor's active personal code, or else their phone, parsed."""
    code = _person_code(data.personal_code) if data.personal_code else None
    if data.personal_code and code is None and not data.phone.strip():
        raise ValidationError(
            {
                "phone": "小区码无效或已作废，请输入手机号码 / the personal code is invalid or "
                "revoked: type your phone number"
            }
        )
    return code, "" if code is not None else _phone(data.phone)


def _record(data: VisitInput, address_hash: str, at: datetime) -> VisitOutcome:
    if not data.token or len(data.token) > 64:
        raise UnknownVenue()
    code, phone = _visitor(data)
    phone_hash = crypto.blind_index(phone) if phone else ""
    subject = Q(person_id=code.person_id) if code is not None else Q(phone_hash=phone_hash)
    visitor = mask_name(code.person.name) if code is not None else mask_phone(phone)
    rules = FlagRules.from_settings()
    # The venue's row lock makes a double tap wait for the first, which it then finds.
    venue = (
        Venue.objects.select_for_update(of=("self",))
        .select_related("grid")
        .only("name", "status", "latitude", "longitude", "grid__community_id")
        .filter(code_hash=tokens.token_hash(data.token))
        .first()
    )
    if venue is None:
        raise UnknownVenue()
    earlier = _earlier(subject, at, rules)
    repeat = timedelta(seconds=int(settings.WANGGE["VISIT_REPEAT_SECONDS"]))
    for pk, visit in earlier:
        if visit.place.venue_id == venue.pk and at - visit.at < repeat:
            return VisitOutcome(Visit(pk=pk, venue=venue, at=visit.at), venue, False, visitor)
    place = Place(venue.pk, venue.grid.community_id, venue.latitude, venue.longitude)
    reasons = flag_reasons(place, at, [visit for _, visit in earlier], rules)
    row = Visit(venue=venue, at=at, flag="；".join(reasons)[:FLAG_MAX_LENGTH])
    row.address_hash = address_hash
    if code is not None:
        row.person_id = code.person_id
    else:
        row.phone_sealed = crypto.seal(phone)
        row.phone_hash = phone_hash
        row.phone_masked = visitor
    row.save(force_insert=True)
    return VisitOutcome(row, venue, True, visitor)
