"""Fixtures and helpers of the five-colour tests: one measure type per implied colour (a local rule
set in force on any date) and quick ways to add members and put them under measures."""

from collections.abc import Iterator
from datetime import UTC, date, datetime
from itertools import count

import pytest
import time_machine
from django.utils import timezone

from conftest import make_id_number
from wangge.measures.models import MeasureType, RuleSet
from wangge.measures.services import measure_assign
from wangge.people.models import Person
from wangge.people.services import PersonData, person_create
from wangge.regions.choices import ColourReason
from wangge.regions.colours import household_colours_recompute

_serials = count(100)
NEAR_MIDNIGHT = datetime(2026, 3, 1, 15, 59, tzinfo=UTC)  # 23:59 on 1 March in Shanghai


@pytest.fixture
def near_midnight() -> Iterator[time_machine.Traveller]:
    """The clock frozen a minute before midnight in Shanghai; ask for it first, so that the world
    is built at that moment too."""
    with time_machine.travel(NEAR_MIDNIGHT, tick=False) as traveller:
        yield traveller


@pytest.fixture
def coloured(world):
    """The `world` with its households' colours stored (its persons are written directly, without
    the services that keep colours current)."""
    household_colours_recompute(reason=ColourReason.IMPORT)
    return world


@pytest.fixture
def colour_types(db) -> dict[str, MeasureType]:
    """red, orange and yellow: 7 days each, no tests, no check-ins, release without a test;
    orange (home isolation) is followed by yellow (health monitoring)."""
    rule_set = RuleSet.objects.create(name="五色测试方案", kind=RuleSet.Kind.LOCAL)
    categories = {
        "red": MeasureType.Category.KEY_ATTENTION,
        "orange": MeasureType.Category.HOME_ISOLATION,
        "yellow": MeasureType.Category.HEALTH_MONITORING,
    }
    types = {
        colour: MeasureType.objects.create(
            rule_set=rule_set,
            name=f"{colour} 7天",
            category=category,
            household_colour=colour,
            duration_days=7,
            release_needs_negative=False,
        )
        for colour, category in categories.items()
    }
    types["orange"].follow_on = types["yellow"]
    types["orange"].save(update_fields=["follow_on"])
    return types


def add_member(by, household, name: str = "成员") -> Person:
    serial = next(_serials)
    return person_create(
        by=by,
        household=household,
        data=PersonData(name=name, id_type="resident", id_number=make_id_number(serial)),
    )


def put_under(by, person: Person, measure_type: MeasureType, start: date | None = None):
    (measure,) = measure_assign(
        by=by,
        persons=[person],
        measure_type=measure_type,
        start=start or timezone.localdate(),
        reason="测试",
    )
    return measure
