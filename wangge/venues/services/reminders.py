"""红黄牌提醒: the re-inspections due today go to the inspectors of the venue's community, the
overdue ones to its community workers — one digest per community and day — and a red card to the
street's command at once. What was sent is recorded (`CardReminder`), so a second run the same day
sends nothing."""

from collections import defaultdict
from datetime import date, datetime, time

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from wangge.core.origin import Origin
from wangge.notify.audience import audience_parse
from wangge.notify.models import MessageKind
from wangge.notify.services import message_create, message_send
from wangge.regions.models import Community
from wangge.venues.models import Card, CardColour, CardReminder

LISTED = 30  # venues named in one digest; the rest are counted


def reminder_moment(now: datetime) -> datetime:
    """Today's reminder time (WANGGE["VENUE_REMINDER_TIME"], Beijing time) for `now`."""
    at = time.fromisoformat(settings.WANGGE["VENUE_REMINDER_TIME"])
    return timezone.make_aware(datetime.combine(timezone.localdate(now), at))


def due_cards(today: date) -> QuerySet[Card]:
    """Open yellow cards whose rectification deadline is today."""
    return Card.objects.filter(colour=CardColour.YELLOW, closed_at__isnull=True, deadline=today)


def overdue_cards(today: date) -> QuerySet[Card]:
    """Open cards past their deadline: a yellow card not yet turned red, and every red card issued
    before today (a suspended venue waits for its re-inspection)."""
    start = timezone.make_aware(datetime.combine(today, time.min))
    return Card.objects.filter(closed_at__isnull=True).filter(
        Q(colour=CardColour.YELLOW, deadline__lt=today)
        | Q(colour=CardColour.RED, issued_at__lt=start)
    )


def _send(
    key: str, kind: str, day: date, audience: str, street: str, title: str, lines: list[str]
) -> bool:
    """Record the reminder under `key` and send it; False when it was sent already."""
    try:
        with transaction.atomic():
            reminder = CardReminder.objects.create(key=key, kind=kind, day=day, venues=len(lines))
    except IntegrityError:
        return False
    shown = lines[:LISTED] + ([f"……另有{len(lines) - LISTED}处"] if len(lines) > LISTED else [])
    role, _, where = audience.partition("@")
    message = message_create(
        by=None,
        origin=Origin.SYSTEM,
        audience=audience_parse("role", f"{role}@{where}", by=None, street=street),
        channels=["inapp"],
        kind=MessageKind.REMINDER,
        title=title,
        text="\n".join(shown),
    )
    message = message_send(message, by=None, origin=Origin.SYSTEM)
    CardReminder.objects.filter(pk=reminder.pk).update(message=message)
    return True


def _by_community(cards: QuerySet[Card]) -> dict[int, list[str]]:
    lines: dict[int, list[str]] = defaultdict(list)
    rows = cards.select_related("venue__grid").order_by("venue__grid__community", "venue__name")
    for card in rows:
        deadline = f"，期限{card.deadline:%m-%d}" if card.deadline else ""
        lines[card.venue.grid.community_id].append(
            f"{card.venue.name}（{card.get_colour_display()}{deadline}）"
        )
    return lines


def reminders_send(*, now: datetime | None = None) -> int:
    """Send today's digests once their time has come; the number of messages sent."""
    now = now or timezone.now()
    if now < reminder_moment(now):
        return 0
    today = timezone.localdate(now)
    sent = 0
    for kind, cards, role, title in (
        (CardReminder.Kind.DUE, due_cards(today), "检查员", "今日到期复查"),
        (CardReminder.Kind.OVERDUE, overdue_cards(today), "社区工作者", "逾期未复查场所"),
    ):
        lines = _by_community(cards)
        communities = Community.objects.select_related("street").in_bulk(list(lines))
        for community_id, venues in lines.items():
            community = communities[community_id]
            sent += _send(
                f"{kind}:{today:%Y-%m-%d}:community:{community_id}",
                kind,
                today,
                f"{role}@community:{community.name}",
                community.street.name,
                f"{title}（{community.name}，{len(venues)}处）",
                venues,
            )
    return sent


def red_card_announce(card_id: int) -> bool:
    """Tell the street's command of a new red card, once."""
    card = Card.objects.select_related("venue__grid__community__street").get(pk=card_id)
    venue = card.venue
    street = venue.grid.community.street
    return _send(
        f"red:card:{card.pk}",
        CardReminder.Kind.RED,
        timezone.localdate(card.issued_at),
        f"街道指挥@street:{street.name}",
        street.name,
        f"红牌：{venue.name}",
        [f"{venue.name}（{venue.grid.community.name}）红牌停业整顿：{card.reason}"],
    )
