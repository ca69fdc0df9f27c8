"""Every card transition and window edge (docs/venues.md, "Inspections and cards"), at Beijing
times near midnight."""

from datetime import date

import time_machine

from wangge.core.models import AuditEntry
from wangge.venues.models import Card, CardColour, CardRules, EventKind, VenueStatus
from wangge.venues.services.cards import cards_escalate_overdue, venue_closed_set
from wangge.venues.services.register import VenueData, venue_create
from wangge.venues.tests.cards.fixtures import beijing, inspect


def _cards(venue):
    return list(Card.objects.filter(venue=venue).order_by("issued_at", "pk"))


def _texts(venue):
    return [event.text for event in venue.events.order_by("at", "pk")]


def test_a_failed_inspection_gives_a_yellow_card_with_the_deadline(site):
    with time_machine.travel(beijing(2026, 12, 7, 23, 50), tick=False):
        inspection = inspect(site.ian, site.venue, passed=False)
    site.venue.refresh_from_db()
    (card,) = _cards(site.venue)
    assert card.colour == CardColour.YELLOW and card.deadline == date(2026, 12, 10)
    assert card.issued_by == site.ian and card.inspection == inspection
    assert "进门测温" in card.reason and not inspection.is_reinspection
    assert site.venue.status == VenueStatus.YELLOW and site.venue.status_since == inspection.at
    assert any("黄牌" in text and "2026-12-10" in text for text in _texts(site.venue))
    assert AuditEntry.objects.filter(action="venue.card_yellow", actor=site.ian).exists()


def test_the_streets_dated_rules_set_the_deadline_from_their_day(site, world):
    CardRules.objects.create(street=world.street, valid_from=date(2026, 12, 8), yellow_days=5)
    other = venue_create(
        by=world.users["alice"],
        data=VenueData(name="小李超市", kind=site.venue.kind, grid=world.grid_a),
    )
    with time_machine.travel(beijing(2026, 12, 7, 23, 59), tick=False):
        inspect(site.ian, site.venue, passed=False)
    with time_machine.travel(beijing(2026, 12, 8, 0, 0), tick=False):
        inspect(site.ian, other, passed=False)
    assert _cards(site.venue)[0].deadline == date(2026, 12, 10)
    assert _cards(other)[0].deadline == date(2026, 12, 13)


def test_a_failed_reinspection_under_a_yellow_card_gives_a_red_card(site):
    with time_machine.travel(beijing(2026, 12, 7, 9), tick=False):
        inspect(site.ian, site.venue, passed=False)
    with time_machine.travel(beijing(2026, 12, 9, 9), tick=False):
        again = inspect(site.ivy, site.venue, passed=False)
    yellow, red = _cards(site.venue)
    site.venue.refresh_from_db()
    assert again.is_reinspection and red.previous == yellow and red.issued_by == site.ivy
    assert yellow.closed_at == again.at and yellow.close_reason == "升级为红牌"
    assert red.colour == CardColour.RED and red.is_open
    assert site.venue.status == VenueStatus.RED and site.venue.status_since == again.at
    kinds = set(site.venue.events.values_list("kind", flat=True))
    assert {EventKind.RED, EventKind.SUSPENDED} <= kinds


def test_a_yellow_card_is_red_only_after_its_deadline_day_ends_in_beijing(site):
    with time_machine.travel(beijing(2026, 12, 7, 9), tick=False):
        inspect(site.ian, site.venue, passed=False)
    with time_machine.travel(beijing(2026, 12, 10, 23, 59), tick=False):
        assert cards_escalate_overdue() == 0
    with time_machine.travel(beijing(2026, 12, 11, 0, 0), tick=False):
        assert cards_escalate_overdue() == 1
        assert cards_escalate_overdue() == 0
    yellow, red = _cards(site.venue)
    site.venue.refresh_from_db()
    assert red.previous == yellow and red.issued_by is None
    assert red.issued_at == beijing(2026, 12, 11) and "逾期" in red.reason
    assert site.venue.status == VenueStatus.RED


def test_a_second_failure_on_day_30_is_red_and_on_day_31_yellow(site, world):
    with time_machine.travel(beijing(2026, 11, 1, 23, 59), tick=False):
        inspect(site.ian, site.venue, passed=False)
    with time_machine.travel(beijing(2026, 11, 2, 10), tick=False):
        inspect(site.ivy, site.venue, passed=True)
    with time_machine.travel(beijing(2026, 12, 1, 0, 1), tick=False):
        inspect(site.ian, site.venue, passed=False)
    assert _cards(site.venue)[-1].colour == CardColour.RED
    Card.objects.all().delete()
    site.venue.inspections.exclude(at__date__lte=date(2026, 11, 2)).delete()
    with time_machine.travel(beijing(2026, 12, 2, 0, 1), tick=False):
        inspect(site.ian, site.venue, passed=False)
    (card,) = _cards(site.venue)
    assert card.colour == CardColour.YELLOW


def test_the_issuer_alone_cannot_close_the_card_but_with_a_second_inspector_can(site):
    with time_machine.travel(beijing(2026, 12, 7, 9), tick=False):
        inspect(site.ian, site.venue, passed=False)
    with time_machine.travel(beijing(2026, 12, 8, 9), tick=False):
        inspect(site.ian, site.venue, passed=True)
    (card,) = _cards(site.venue)
    site.venue.refresh_from_db()
    assert card.is_open and site.venue.status == VenueStatus.YELLOW
    assert "须有第二名检查人" in _texts(site.venue)[-1]
    with time_machine.travel(beijing(2026, 12, 8, 10), tick=False):
        closing = inspect(site.ian, site.venue, passed=True, second=site.ivy)
    card.refresh_from_db()
    site.venue.refresh_from_db()
    assert card.closed_at == closing.at and card.closing_inspection == closing
    assert card.closed_by == site.ian and site.venue.status == VenueStatus.OPEN


def test_a_passed_reinspection_lifts_a_suspension_with_the_date(site):
    with time_machine.travel(beijing(2026, 12, 7, 9), tick=False):
        inspect(site.ian, site.venue, passed=False)
    with time_machine.travel(beijing(2026, 12, 11, 0, 0), tick=False):
        cards_escalate_overdue()
    with time_machine.travel(beijing(2026, 12, 12, 9), tick=False):
        inspect(site.ian, site.venue, passed=False)  # still suspended, no new card
        inspect(site.ian, site.venue, passed=True)  # the yellow's issuer alone: stays red
    assert len(_cards(site.venue)) == 2 and _cards(site.venue)[1].is_open
    with time_machine.travel(beijing(2026, 12, 13, 23, 59), tick=False):
        lifting = inspect(site.ivy, site.venue, passed=True)
    red = _cards(site.venue)[1]
    site.venue.refresh_from_db()
    assert not red.is_open and site.venue.status == VenueStatus.OPEN
    assert site.venue.status_since == lifting.at
    assert _texts(site.venue)[-1] == "2026-12-13 解除停业整顿"


def test_closed_by_hand_is_kept_by_the_cards_and_lifted_to_the_cards_status(site, world):
    alice = world.users["alice"]
    venue_closed_set(by=alice, venue_id=site.venue.pk, closed=True, reason="店主停业")
    with time_machine.travel(beijing(2026, 12, 7, 9), tick=False):
        inspect(site.ian, site.venue, passed=False)
    site.venue.refresh_from_db()
    assert site.venue.status == VenueStatus.CLOSED and _cards(site.venue)[0].is_open
    venue_closed_set(by=alice, venue_id=site.venue.pk, closed=False)
    site.venue.refresh_from_db()
    assert site.venue.status == VenueStatus.YELLOW
    assert AuditEntry.objects.filter(action="venue.status", actor=alice).count() == 2
