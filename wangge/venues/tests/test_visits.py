"""Recording a venue-code visit (services/visits.py): by phone or personal code, a repeat within
two minutes answered with the first, the address limit, and the flags that never refuse."""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError

from wangge.checkpoints import tokens
from wangge.checkpoints.models import PersonalCode
from wangge.checkpoints.services import personal_code_revoke, personal_codes_issue
from wangge.core import crypto
from wangge.venues.models import Visit
from wangge.venues.services.register import venue_code_reissue
from wangge.venues.services.visit_flags import (
    Earlier,
    FlagRules,
    Place,
    distance_km,
    flag_reasons,
)
from wangge.venues.services.visits import UnknownVenue, VisitInput, VisitLimited, visit_record
from wangge.venues.tests.visiting import NOON, code_of, venue

pytestmark = pytest.mark.django_db


@pytest.fixture
def clock():
    with time_machine.travel(NOON, tick=False) as traveller:
        yield traveller


def by_phone(place, phone="13800138000", address="10.0.0.1"):
    return visit_record(data=VisitInput(token=code_of(place), phone=phone, address=address))


def test_a_phone_visit_is_stored_sealed_hashed_and_masked(world, clock):
    place = venue(world, "老街面馆")

    outcome = by_phone(place, phone="138 0013 8000")

    visit = Visit.objects.get()
    assert outcome.created and outcome.visitor == "138****8000"
    assert visit.venue == place and visit.at == NOON and visit.person is None
    assert crypto.unseal(visit.phone_sealed) == "13800138000"
    assert visit.phone_hash == crypto.blind_index("13800138000")
    assert visit.phone_masked == "138****8000" and visit.flag == ""
    assert visit.address_hash == crypto.blind_index("10.0.0.1")


def test_a_personal_code_names_the_person_and_a_revoked_one_asks_for_a_phone(world, clock):
    place = venue(world, "老街面馆")
    zhang = world.persons["zhang_san"]
    personal_codes_issue(by=world.users["alice"], persons=[zhang])
    text = tokens.payload(tokens.PERSON, PersonalCode.objects.get(person=zhang).token_sealed)

    outcome = visit_record(data=VisitInput(token=code_of(place), personal_code=text))

    assert outcome.visit.person == zhang and outcome.visitor == "张*"
    assert outcome.visit.phone_hash == ""
    personal_code_revoke(by=world.users["alice"], person=zhang, reason="遗失")
    clock.shift(timedelta(minutes=5))
    with pytest.raises(ValidationError) as refused:
        visit_record(data=VisitInput(token=code_of(place), personal_code=text))
    assert "phone" in refused.value.message_dict
    fallback = visit_record(
        data=VisitInput(token=code_of(place), personal_code=text, phone="13900002222")
    )
    assert fallback.visit.person is None and fallback.visitor == "139****2222"


def test_an_unknown_or_reissued_code_and_an_unreadable_phone_are_refused(world, clock):
    place = venue(world, "老街面馆")
    old = code_of(place)
    venue_code_reissue(by=world.users["alice"], venue_id=place.pk)

    for token in (old, "x" * 65, ""):
        with pytest.raises(UnknownVenue):
            visit_record(data=VisitInput(token=token, phone="13800138000"))
    with pytest.raises(ValidationError) as refused:
        visit_record(data=VisitInput(token=code_of(place.__class__.objects.get()), phone="12"))
    assert "phone" in refused.value.message_dict
    assert not Visit.objects.exists()


def test_the_same_phone_again_within_two_minutes_gets_the_first_visit_back(world, clock):
    place = venue(world, "老街面馆")
    first = by_phone(place)

    clock.shift(timedelta(seconds=119))
    again = by_phone(place)
    clock.shift(timedelta(seconds=2))
    later = by_phone(place)

    assert not again.created and again.visit.pk == first.visit.pk and again.visit.at == NOON
    assert later.created and Visit.objects.count() == 2


def test_an_address_beyond_its_minute_limit_is_refused(world, clock, settings):
    settings.WANGGE = {**settings.WANGGE, "VISIT_PER_ADDRESS_PER_MINUTE": 2}
    place = venue(world, "老街面馆")
    with pytest.raises(UnknownVenue):  # a refused post spends its token too
        visit_record(data=VisitInput(token="no-such-code", phone="13800000001", address="10.0.0.1"))
    by_phone(place, phone="13800000002")

    with pytest.raises(VisitLimited):
        by_phone(place, phone="13800000003")
    by_phone(place, phone="13800000004", address="10.0.0.2")  # another address has its own
    clock.shift(timedelta(seconds=31))  # the bucket refills one visit each 30 s
    by_phone(place, phone="13800000005")

    assert Visit.objects.count() == 3


def test_more_visits_in_an_hour_than_the_limit_are_flagged_not_refused(world, clock, settings):
    settings.WANGGE = {**settings.WANGGE, "VISIT_FLAG_PER_HOUR": 2}
    places = [venue(world, f"面馆{n}") for n in range(3)]

    outcomes = []
    for place in places:
        outcomes.append(by_phone(place))
        clock.shift(timedelta(minutes=1))

    assert [bool(outcome.visit.flag) for outcome in outcomes] == [False, False, True]
    assert (
        "1小时内到访3次" in outcomes[2].visit.flag
        and "3 visits within an hour" in outcomes[2].visit.flag
    )


def test_the_hourly_rule_counts_the_thirty_first_visit_within_the_hour():
    here = Place(1, 1)
    rules = FlagRules(per_hour=30, travel_km=2, travel_window=timedelta(minutes=10))
    earlier = [Earlier(NOON - timedelta(minutes=n), here) for n in range(1, 31)]

    assert flag_reasons(here, NOON, earlier[:29], rules) == []
    assert flag_reasons(here, NOON, earlier, rules)[0].startswith("1小时内到访31次")
    # at 12:30 the visit of 11:30 is an hour old: no longer within the hour
    assert flag_reasons(here, NOON + timedelta(minutes=30), earlier, rules) == []


def test_two_venues_farther_apart_than_two_km_within_ten_minutes_are_flagged(world, clock):
    # 0.03° of latitude is 3.3 km; 0.01° is 1.1 km
    home = venue(world, "东面馆", lat="30.000000", lon="120.000000")
    far = venue(world, "北面馆", lat="30.030000", lon="120.000000")
    near = venue(world, "南面馆", lat="29.990000", lon="120.000000")
    by_phone(home)

    clock.shift(timedelta(minutes=5))
    near_visit = by_phone(near)
    clock.shift(timedelta(minutes=4))
    far_visit = by_phone(far)
    clock.shift(timedelta(minutes=11))
    late = by_phone(home, phone="13800138000")

    assert near_visit.visit.flag == ""
    assert (
        "10分钟内到访相距4.4公里" in far_visit.visit.flag and "4.4 km apart" in far_visit.visit.flag
    )
    assert late.visit.flag == ""


def test_without_coordinates_two_communities_within_ten_minutes_are_flagged(world, clock):
    east_a = venue(world, "东一面馆")
    east_b = venue(world, "东二面馆", grid=world.grid_b)
    west = venue(world, "西面馆", grid=world.grid_d, lat="30.0", lon="120.0")
    by_phone(east_a)

    clock.shift(timedelta(minutes=3))
    same_community = by_phone(east_b)
    clock.shift(timedelta(minutes=3))
    other_community = by_phone(west)

    assert same_community.visit.flag == ""
    assert other_community.visit.flag == (
        "10分钟内到访不同社区的场所 / venues of two communities within 10 minutes"
    )


def test_the_haversine_distance_matches_a_known_one():
    # one degree of latitude along a meridian: 111.19 km on the mean sphere
    assert distance_km(Place(1, 1, 30, 120), Place(2, 1, 31, 120)) == pytest.approx(111.19, 0.001)
    assert distance_km(Place(1, 1, 30, 120), Place(2, 1, None, 120)) is None


def test_a_suspended_venue_still_records_visits(world, clock):
    place = venue(world, "老街面馆")
    place.status = "red"
    place.save()

    outcome = by_phone(place)

    assert outcome.created and outcome.suspended
