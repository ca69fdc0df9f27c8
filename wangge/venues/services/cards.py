"""红黄牌: the card rules, in this one module, reading the street's dated `CardRules`.

- A failed inspection of a venue with no open card gives a yellow card, to be rectified by the
  inspection's day + `yellow_days` (the venue is 黄牌整改中).
- A failed inspection while a yellow card is open (a failed re-inspection), or a second failure
  within `repeat_days` days of an earlier one, gives a red card and suspends the venue (红牌停业整顿);
  the yellow card is closed as escalated, the red card's `previous`.
- A yellow card not rectified by the end of its deadline day (Beijing time) turns red by itself
  (`cards_escalate_overdue`, a periodic task; idempotent).
- A passed re-inspection closes the open card; closing a red card lifts the suspension, with the
  date. It closes it only when the inspector, or the second inspector, is someone other than the
  card's issuer; otherwise it is recorded and the card stays open.
- 歇业 is set by hand (`venue_closed_set`) and cards never change it.

Every change is a line on the venue's timeline with who and why, and an audit entry.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import partial
from typing import Any

from django.db import transaction
from django.utils import timezone

from wangge.core.origin import Origin
from wangge.core.services import audit_record
from wangge.venues.models import (
    Card,
    CardColour,
    CardRules,
    EventKind,
    Inspection,
    Venue,
    VenueStatus,
)
from wangge.venues.selectors.register import open_card
from wangge.venues.services.reminders import red_card_announce
from wangge.venues.services.timeline import event_add

YELLOW_DAYS, REPEAT_DAYS = 3, 30


@dataclass(frozen=True)
class Rules:
    yellow_days: int
    repeat_days: int


def rules_on(street_id: int, day: date) -> Rules:
    """The street's rules in force on `day`: the latest row from that day or before, else the
    defaults (3 days to rectify, a second failure within 30 days is red)."""
    row = (
        CardRules.objects.filter(street_id=street_id, valid_from__lte=day)
        .order_by("-valid_from")
        .first()
    )
    if row is None:
        return Rules(YELLOW_DAYS, REPEAT_DAYS)
    return Rules(row.yellow_days, row.repeat_days)


def day_start(day: date) -> datetime:
    """00:00 of `day`, Beijing time."""
    return timezone.make_aware(datetime.combine(day, time.min))


def card_issuer(card: Card) -> int | None:
    """Who issued the card: for a red card the deadline turned, the issuer of its yellow card."""
    if card.issued_by_id is None and card.previous_id is not None:
        return Card.objects.filter(pk=card.previous_id).values_list("issued_by", flat=True).get()
    return card.issued_by_id


def _status(venue: Venue, status: str, at: datetime) -> None:
    """Set the status cards give, unless the venue is 歇业 (set by hand, never by a card)."""
    if venue.status in (VenueStatus.CLOSED, status):
        return
    venue.status, venue.status_since = status, at
    venue.save(update_fields=["status", "status_since", "updated_at"])


def _close(
    card: Card, *, at: datetime, by: Any, reason: str, inspection: Inspection | None
) -> None:
    card.closed_at, card.closed_by, card.close_reason = at, by, reason[:300]
    card.closing_inspection = inspection
    card.save(update_fields=["closed_at", "closed_by", "close_reason", "closing_inspection"])


def _red(
    venue: Venue,
    *,
    at: datetime,
    by: Any,
    reason: str,
    inspection: Inspection | None,
    previous: Card | None,
    origin: Origin,
) -> Card:
    if previous is not None:
        _close(previous, at=at, by=by, reason="升级为红牌", inspection=inspection)
    card = Card.objects.create(
        venue=venue,
        colour=CardColour.RED,
        issued_at=at,
        issued_by=by,
        inspection=inspection,
        reason=reason[:300],
        previous=previous,
    )
    _status(venue, VenueStatus.RED, at)
    transaction.on_commit(partial(red_card_announce, card.pk), robust=True)
    event_add(venue, EventKind.RED, by=by, at=at, text=f"红牌：{reason}")
    event_add(venue, EventKind.SUSPENDED, by=by, at=at, text="红牌停业整顿")
    audit_record(actor=by, action="venue.card_red", target=card, reason=reason, origin=origin)
    return card


def _red_reason(
    inspection: Inspection, venue: Venue, current: Card | None, repeat_days: int
) -> str:
    """Why this failure is red ("" when it is yellow): a yellow card is open, or an earlier failure
    lies within `repeat_days` calendar days (Beijing) of this one."""
    if current is not None:
        return "黄牌整改期间复查不合格"
    day = timezone.localdate(inspection.at)
    earlier = (
        Inspection.objects.filter(
            venue=venue,
            passed=False,
            at__lt=inspection.at,
            at__gte=day_start(day - timedelta(days=repeat_days)),
        )
        .exclude(pk=inspection.pk)
        .order_by("-at")
        .first()
    )
    if earlier is None:
        return ""
    return f"{repeat_days}天内再次检查不合格（上次 {timezone.localdate(earlier.at):%Y-%m-%d}）"


def _failed(inspection: Inspection, venue: Venue, by: Any, origin: Origin) -> Card | None:
    day = timezone.localdate(inspection.at)
    rules = rules_on(venue.grid.community.street_id, day)
    current = open_card(venue)
    if current is not None and current.colour == CardColour.RED:
        event_add(
            venue, EventKind.INSPECTED, by=by, at=inspection.at, text="复查不合格，继续停业整顿"
        )
        return None
    reason = _red_reason(inspection, venue, current, rules.repeat_days)
    if reason:
        return _red(
            venue,
            at=inspection.at,
            by=by,
            reason=reason,
            inspection=inspection,
            previous=current,
            origin=origin,
        )
    deadline = day + timedelta(days=rules.yellow_days)
    card = Card.objects.create(
        venue=venue,
        colour=CardColour.YELLOW,
        issued_at=inspection.at,
        issued_by=by,
        inspection=inspection,
        reason=_failed_items(inspection),
        deadline=deadline,
    )
    _status(venue, VenueStatus.YELLOW, inspection.at)
    event_add(
        venue,
        EventKind.YELLOW,
        by=by,
        at=inspection.at,
        text=f"黄牌：{card.reason}，{deadline:%Y-%m-%d}前整改",
    )
    audit_record(
        actor=by, action="venue.card_yellow", target=card, reason=card.reason, origin=origin
    )
    return card


def _failed_items(inspection: Inspection) -> str:
    texts = [item.text for item in inspection.items.all() if not item.passed]
    return ("检查不合格：" + "、".join(texts))[:300] if texts else "检查不合格"


def _passed(inspection: Inspection, venue: Venue, by: Any, origin: Origin) -> Card | None:
    current = open_card(venue)
    if current is None:
        return None
    issuer = card_issuer(current)
    others = {inspection.inspector_id, inspection.second_inspector_id} - {None, issuer}
    if issuer is not None and not others:
        event_add(
            venue,
            EventKind.INSPECTED,
            by=by,
            at=inspection.at,
            text="复查合格，但发牌人本人复查须有第二名检查人同行，牌未销",
        )
        return None
    label = CardColour(current.colour).label
    _close(current, at=inspection.at, by=by, reason="复查合格", inspection=inspection)
    _status(venue, VenueStatus.OPEN, inspection.at)
    event_add(venue, EventKind.CARD_CLOSED, by=by, at=inspection.at, text=f"复查合格，销{label}")
    if current.colour == CardColour.RED:
        day = timezone.localdate(inspection.at)
        event_add(
            venue, EventKind.REOPENED, by=by, at=inspection.at, text=f"{day:%Y-%m-%d} 解除停业整顿"
        )
    audit_record(actor=by, action="venue.card_close", target=current, origin=origin)
    return current


def inspection_judge(
    inspection: Inspection, *, by: Any, origin: Origin = Origin.SYSTEM
) -> Card | None:
    """Apply the card rules to a new inspection, inside the caller's transaction (the recording
    of the inspection); the card issued or closed, if any."""
    venue = (
        Venue.objects.select_for_update()
        .select_related("grid__community")
        .get(pk=inspection.venue_id)
    )
    if inspection.passed:
        return _passed(inspection, venue, by, origin)
    return _failed(inspection, venue, by, origin)


def cards_escalate_overdue(*, now: datetime | None = None) -> int:
    """Turn red every open yellow card whose deadline day has ended (Beijing time); the red card
    is dated 00:00 of the day after the deadline. Idempotent: a card turned is no longer open."""
    today = timezone.localdate(now or timezone.now())
    due = Card.objects.filter(
        colour=CardColour.YELLOW, closed_at__isnull=True, deadline__lt=today
    ).values_list("pk", flat=True)
    return sum(_escalate(pk) for pk in list(due))


@transaction.atomic
def _escalate(card_id: int) -> int:
    card = Card.objects.select_for_update().filter(pk=card_id, closed_at__isnull=True).first()
    if card is None or card.deadline is None:
        return 0
    venue = Venue.objects.select_for_update().get(pk=card.venue_id)
    at = day_start(card.deadline + timedelta(days=1))
    reason = f"黄牌逾期未整改（期限 {card.deadline:%Y-%m-%d}）"
    _red(venue, at=at, by=None, reason=reason, inspection=None, previous=card, origin=Origin.SYSTEM)
    return 1


@transaction.atomic
def venue_closed_set(
    *, by: Any, venue_id: int, closed: bool, reason: str = "", origin: Origin = Origin.SYSTEM
) -> Venue:
    """歇业 set or lifted by hand; lifted, the venue takes the status its open card gives."""
    venue = Venue.objects.select_for_update().get(pk=venue_id)
    before = venue.status
    if closed == (before == VenueStatus.CLOSED):
        return venue
    card = None if closed else open_card(venue)
    after = VenueStatus.CLOSED if closed else VenueStatus(card.colour if card else VenueStatus.OPEN)
    now = timezone.now()
    venue.status, venue.status_since = after, now
    venue.save(update_fields=["status", "status_since", "updated_at"])
    text = f"{VenueStatus(before).label} → {VenueStatus(after).label}" + (
        f"：{reason}" if reason else ""
    )
    event_add(venue, EventKind.STATUS, by=by, at=now, text=text)
    audit_record(
        actor=by,
        action="venue.status",
        target=venue,
        changes={"status": [before, after]},
        reason=reason,
        origin=origin,
    )
    return venue
