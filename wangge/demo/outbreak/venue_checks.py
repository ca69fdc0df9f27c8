"""The week's inspections of the demo venues, and cards in every state, written as the card rules
of issue 15 make them (venues/services/cards.py): a failed inspection gives a yellow card due three
days later; a failed re-inspection, or a yellow card not rectified by its deadline, gives a red card
that suspends the venue; a passed re-inspection by another inspector closes a yellow card, or lifts
a red one. Every step is on the venue's timeline.

The cards sit in the outbreak's community, where the demo inspector works: a yellow card issued
today, one due today, one overdue, a closed one, an open red card after a failed re-inspection,
a red card lifted yesterday, and a yellow card turned red at its deadline."""

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone

from wangge.demo.outbreak.cast import Cast
from wangge.venues.models import (
    Card,
    CardColour,
    CardRules,
    ChecklistItem,
    EventKind,
    Inspection,
    InspectionItem,
    Venue,
    VenueEvent,
    VenueStatus,
)

WEEK = 7
YELLOW_DAYS = 3
FAILURES = (
    "未见进门测温记录",
    "从业人员未规范佩戴口罩",
    "未张贴场所码，顾客未扫码",
    "店内人员密集，未限流",
    "消杀记录缺失",
    "从业人员核酸检测超期",
    "进口冷链食品无溯源码",
)


@dataclass
class Book:
    """What the week writes, gathered for bulk inserts."""

    cast: Cast
    rng: random.Random
    checklists: dict[int, list[str]]
    inspections: list[Inspection] = field(default_factory=list)
    items: list[tuple[Inspection, list[InspectionItem]]] = field(default_factory=list)
    events: list[VenueEvent] = field(default_factory=list)

    def at(self, days_ago: int, hour: int) -> datetime:
        day = self.cast.calendar.today - timedelta(days=days_ago)
        return min(timezone.make_aware(datetime.combine(day, time(hour))), self.cast.calendar.now)

    def inspect(
        self, venue: Venue, at: datetime, by: Any, passed: bool, again: bool = False
    ) -> Inspection:
        inspection = Inspection(
            venue=venue,
            client_id=f"demo-venue-{venue.pk}-{len(self.inspections)}",
            inspector=by,
            at=at,
            passed=passed,
            is_reinspection=again,
            note="" if passed else "现场责令整改",
        )
        texts = self.checklists[venue.kind_id]
        failed = set() if passed else set(self.rng.sample(range(len(texts)), k=min(2, len(texts))))
        items = [
            InspectionItem(
                inspection=inspection,
                text=text,
                passed=index not in failed,
                note=self.rng.choice(FAILURES) if index in failed else "",
            )
            for index, text in enumerate(texts)
        ]
        self.inspections.append(inspection)
        self.items.append((inspection, items))
        outcome = "合格" if passed else "不合格"
        self.event(venue, EventKind.INSPECTED, at, by, f"{'复查' if again else '检查'}{outcome}")
        return inspection

    def event(self, venue: Venue, kind: str, at: datetime, by: Any, text: str) -> None:
        self.events.append(VenueEvent(venue=venue, kind=kind, at=at, by=by, text=text))


def _status(venue: Venue, status: str, since: datetime) -> None:
    venue.status, venue.status_since = status, since


def _yellow(book: Book, venue: Venue, days_ago: int, by: Any) -> Card:
    at = book.at(days_ago, 10)
    failed = book.inspect(venue, at, by, passed=False)
    deadline = timezone.localdate(at) + timedelta(days=YELLOW_DAYS)
    card = Card(
        venue=venue,
        colour=CardColour.YELLOW,
        issued_at=at,
        issued_by=by,
        inspection=failed,
        reason="检查不合格：" + "、".join(FAILURES[:2]),
        deadline=deadline,
    )
    book.event(venue, EventKind.YELLOW, at, by, f"黄牌，限{deadline:%m月%d日}前整改")
    _status(venue, VenueStatus.YELLOW, at)
    return card


def _red(book: Book, venue: Venue, yellow: Card, at: datetime, by: Any, why: str) -> Card:
    closing = book.inspections[-1] if by is not None else None
    yellow.closed_at, yellow.closed_by, yellow.close_reason = at, by, f"升级红牌：{why}"
    yellow.closing_inspection = closing
    red = Card(
        venue=venue,
        colour=CardColour.RED,
        issued_at=at,
        issued_by=by,
        inspection=closing,
        reason=why,
        previous=yellow,
    )
    book.event(venue, EventKind.RED, at, by, f"红牌：{why}")
    book.event(venue, EventKind.SUSPENDED, at, by, "停业整顿")
    _status(venue, VenueStatus.RED, at)
    return red


def _close(book: Book, venue: Venue, card: Card, days_ago: int, by: Any) -> None:
    at = book.at(days_ago, 15)
    passed = book.inspect(venue, at, by, passed=True, again=True)
    card.closed_at, card.closed_by, card.closing_inspection = at, by, passed
    card.close_reason = "复查合格"
    book.event(venue, EventKind.CARD_CLOSED, at, by, "复查合格，销牌")
    if card.colour == CardColour.RED:
        book.event(
            venue, EventKind.REOPENED, at, by, f"{timezone.localdate(at):%m月%d日}起恢复营业"
        )
    _status(venue, VenueStatus.OPEN, at)


def _scenarios(book: Book, venues: list[Venue]) -> list[Card]:
    """Cards in every state on the first venues given; (issuer, second inspector)."""
    first, second = book.cast.inspector, book.cast.community_worker
    new, due, overdue, closed, red, lifted, escalated = venues[:7]
    cards = [_yellow(book, new, 0, first), _yellow(book, due, YELLOW_DAYS, first)]
    cards.append(_yellow(book, overdue, 5, first))
    yellow = _yellow(book, closed, 6, first)
    _close(book, closed, yellow, 4, second)
    cards.append(yellow)
    yellow = _yellow(book, red, 5, first)
    again = book.at(3, 11)
    book.inspect(red, again, first, passed=False, again=True)
    cards += [yellow, _red(book, red, yellow, again, first, "复查仍不合格")]
    yellow = _yellow(book, lifted, 6, first)
    again = book.at(5, 11)
    book.inspect(lifted, again, first, passed=False, again=True)
    suspended = _red(book, lifted, yellow, again, first, "复查仍不合格")
    _close(book, lifted, suspended, 1, second)
    cards += [yellow, suspended]
    yellow = _yellow(book, escalated, 6, first)
    overdue_at = timezone.make_aware(datetime.combine(_after(yellow.deadline), time()))
    cards += [yellow, _red(book, escalated, yellow, overdue_at, None, "黄牌逾期未整改")]
    return cards


def _after(day: date | None) -> date:
    assert day is not None
    return day + timedelta(days=1)


def inspections_create(cast: Cast, rng: random.Random, venues: list[Venue]) -> None:
    """The street's card rules, the cards' story, and one passed routine inspection in the last
    week for every other open venue."""
    CardRules.objects.get_or_create(
        street=cast.street,
        valid_from=cast.calendar.today - timedelta(days=30),
        defaults={"yellow_days": YELLOW_DAYS, "created_by": cast.commander},
    )
    checklists: dict[int, list[str]] = {}
    for kind_id, text in ChecklistItem.objects.filter(active=True).values_list("kind", "text"):
        checklists.setdefault(kind_id, []).append(text)
    book = Book(cast, rng, checklists)
    open_venues = [v for v in venues if v.status == VenueStatus.OPEN]
    home = [v for v in open_venues if v.grid.community_id == cast.community.pk]
    cards = _scenarios(book, home)
    carded = {card.venue_id for card in cards}
    for venue in open_venues:
        if venue.pk in carded:
            continue
        days_ago = rng.randrange(WEEK)
        by = cast.inspector if venue.grid.community_id == cast.community.pk else cast.commander
        book.inspect(venue, book.at(days_ago, rng.randint(9, 17)), by, passed=True)
    Inspection.objects.bulk_create(book.inspections)
    InspectionItem.objects.bulk_create([item for _, items in book.items for item in items])
    _cards_save(cards)
    VenueEvent.objects.bulk_create(book.events)
    changed = [v for v in venues if v.pk in carded]
    Venue.objects.bulk_update(changed, ["status", "status_since"])


def _cards_save(cards: list[Card]) -> None:
    """Yellow cards first, so the red cards can name them."""
    Card.objects.bulk_create([c for c in cards if c.colour == CardColour.YELLOW])
    Card.objects.bulk_create([c for c in cards if c.colour == CardColour.RED])
