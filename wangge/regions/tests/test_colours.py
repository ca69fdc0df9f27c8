"""五色: the colour rule for every combination of member measures, statuses and overrides."""

from datetime import timedelta
from itertools import combinations_with_replacement

import pytest
from django.utils import timezone

from wangge.people.models import Person
from wangge.people.services import person_set_status
from wangge.regions.colours import household_colours_recompute
from wangge.regions.models import Household, HouseholdColourChange
from wangge.regions.tests.colour_fixtures import (
    add_member,
    colour_types,
    coloured,
    near_midnight,
    put_under,
)

__all__ = ["coloured", "colour_types", "near_midnight"]

RANK = {"red": 3, "orange": 2, "yellow": 1}
COMBINATIONS = list(combinations_with_replacement([None, "red", "orange", "yellow"], 3))


def stored(household: Household) -> str:
    household.refresh_from_db()
    return household.colour


@pytest.mark.parametrize("measures", COMBINATIONS, ids=lambda m: "-".join(c or "none" for c in m))
def test_the_most_severe_member_measure_decides(coloured, colour_types, measures):
    # given a household of three members, each under the measure listed (or none)
    alice = coloured.users["alice"]
    household = coloured.households["b"]
    members = [coloured.persons["wang_wu"]] + [add_member(alice, household) for _ in range(2)]

    # when
    for person, colour in zip(members, measures, strict=True):
        if colour:
            put_under(alice, person, colour_types[colour])

    # then
    chosen = [c for c in measures if c]
    expected = max(chosen, key=RANK.__getitem__) if chosen else "green"
    assert stored(household) == expected
    assert household_colours_recompute().corrected == []


def test_white_when_nobody_lives_there(coloured):
    household = Household.objects.create(
        building=coloured.households["a"].building,
        grid=coloured.grid_a,
        unit="1",
        floor=9,
        room="901",
    )

    assert stored(household) == "white"
    assert household_colours_recompute().corrected == []


def test_every_member_away_or_gone_leaves_the_household_white(coloured):
    # given a household of two
    alice = coloured.users["alice"]
    household = coloured.households["a"]
    second = add_member(alice, household)
    assert stored(household) == "green"

    # when one works elsewhere and the other moved out
    person_set_status(by=alice, person=coloured.persons["zhang_san"], status=Person.Status.AWAY)
    assert stored(household) == "green"
    person_set_status(by=alice, person=second, status=Person.Status.MOVED_OUT)

    # then nobody is at home: 空户
    assert stored(household) == "white"
    changes = HouseholdColourChange.objects.filter(household=household, reason="person")
    assert list(changes.values_list("old", "new")) == [("green", "white")]


def test_a_measure_of_a_member_away_still_colours_the_home(coloured, colour_types):
    alice = coloured.users["alice"]
    person = coloured.persons["li_si"]
    person_set_status(by=alice, person=person, status=Person.Status.AWAY)
    assert stored(coloured.households["a1"]) == "white"

    put_under(alice, person, colour_types["red"])

    assert stored(coloured.households["a1"]) == "red"


def test_a_member_who_moved_out_takes_his_measure_with_him(coloured, colour_types):
    alice = coloured.users["alice"]
    household = coloured.households["d"]
    add_member(alice, household)
    put_under(alice, coloured.persons["zhao_liu"], colour_types["orange"])
    assert stored(household) == "orange"

    person_set_status(by=alice, person=coloured.persons["zhao_liu"], status=Person.Status.MOVED_OUT)

    assert stored(household) == "green"


def test_a_measure_starting_tomorrow_colours_from_tomorrow(near_midnight, coloured, colour_types):
    import time_machine

    from wangge.regions.colours import household_colours_refresh_started

    alice = coloured.users["alice"]
    tomorrow = timezone.localdate() + timedelta(days=1)
    put_under(alice, coloured.persons["zhang_san"], colour_types["yellow"], start=tomorrow)
    assert stored(coloured.households["a"]) == "green"

    with time_machine.travel(timezone.now() + timedelta(days=1)):
        assert household_colours_refresh_started() == 1
        assert household_colours_refresh_started() == 0

    assert stored(coloured.households["a"]) == "yellow"
    change = HouseholdColourChange.objects.filter(household=coloured.households["a"]).first()
    assert change.reason == "measure_started"
