"""The demo street's venues (seeded once for the package, see conftest.py): about 300 of every
kind, valid codes, a week of inspections, cards in every state, visits and disinfection logs with
a missed requirement."""

from datetime import timedelta

from django.db.models import Count, Q
from django.utils import timezone
from stdnum.cn import uscc

from wangge.venues.models import (
    Card,
    CardColour,
    CardRules,
    DisinfectionLog,
    DisinfectionMiss,
    DisinfectionRule,
    EventKind,
    Inspection,
    Venue,
    VenueEvent,
    VenueKind,
    VenueStaff,
    VenueStatus,
    Visit,
)
from wangge.venues.services.disinfection_rules import requirement_status


def test_about_300_venues_of_every_kind_most_with_a_valid_code(street_db):
    venues = Venue.objects.all()
    assert 280 <= venues.count() <= 320
    assert set(venues.values_list("kind", flat=True)) == set(
        VenueKind.objects.values_list("pk", flat=True)
    )
    codes = list(venues.exclude(uscc="").values_list("uscc", flat=True))
    assert 0.8 * venues.count() <= len(codes) < venues.count()
    assert all(uscc.is_valid(code) for code in codes)
    assert not venues.filter(Q(responsible_phone_masked="") | Q(latitude=None)).exists()
    assert venues.filter(status=VenueStatus.CLOSED).count() >= 3
    assert VenueStaff.objects.filter(person__isnull=False).exists()
    assert not venues.exclude(
        pk__in=VenueEvent.objects.filter(kind=EventKind.CREATED).values("venue")
    ).exists()


def test_a_week_of_inspections_mostly_passed_with_items(street_db):
    inspections = Inspection.objects.annotate(items_n=Count("items"))
    assert inspections.count() >= 250
    assert inspections.filter(passed=True).count() > 0.9 * inspections.count()
    assert not inspections.filter(items_n=0).exists()
    week_ago = timezone.now() - timedelta(days=7, hours=1)
    assert not inspections.filter(at__lt=week_ago).exists()


def test_cards_in_every_state(street_db):
    today = timezone.localdate()
    yellow = Card.objects.filter(colour=CardColour.YELLOW)
    red = Card.objects.filter(colour=CardColour.RED)
    assert yellow.filter(closed_at=None, deadline=today).exists()
    assert yellow.filter(closed_at=None, deadline__lt=today).exists()
    assert yellow.filter(closed_at=None, deadline__gt=today).exists()
    assert yellow.filter(closed_at__isnull=False, next=None).exists()
    assert yellow.filter(next__issued_by=None).exists()  # turned red at its deadline
    suspended = red.filter(closed_at=None)
    assert suspended.exists()
    assert not suspended.exclude(venue__status=VenueStatus.RED).exists()
    lifted = red.get(closed_at__isnull=False)
    assert lifted.venue.status == VenueStatus.OPEN
    assert lifted.closed_by != lifted.issued_by
    assert VenueEvent.objects.filter(venue=lifted.venue, kind=EventKind.REOPENED).exists()
    for colour in (EventKind.YELLOW, EventKind.RED, EventKind.SUSPENDED, EventKind.CARD_CLOSED):
        assert VenueEvent.objects.filter(kind=colour).exists()
    assert CardRules.objects.filter(yellow_days=3).exists()


def test_visits_and_disinfection_with_a_missed_requirement(street_db):
    assert Visit.objects.count() > 1000
    assert Visit.objects.filter(person__isnull=False).exists()
    assert Visit.objects.exclude(flag="").count() == 2
    assert not Visit.objects.filter(person=None, phone_sealed="").exists()
    rule = DisinfectionRule.objects.get()
    assert (rule.times_per_day, rule.alert_hour) == (2, 18)
    assert DisinfectionMiss.objects.filter(day__lt=timezone.localdate()).exists()
    assert DisinfectionLog.objects.filter(venue__isnull=False).exists()
    today = requirement_status(rule, timezone.localdate())
    assert today and any(s.logged == 1 for s in today)
