"""Incremental = full recompute: after any sequence of changes made through the services, every
stored colour equals what the rule computes from scratch (property-based, hypothesis)."""

from contextlib import suppress
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import time_machine
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wangge.colours.overrides import colour_override_lift, colour_override_set
from wangge.measures.models import PersonMeasure
from wangge.measures.services import (
    measure_end_early,
    measure_release,
    measure_release_due,
    measure_transfer,
)
from wangge.people.models import Person
from wangge.people.services import PersonData, person_set_status, person_update
from wangge.regions.colours import colour_mismatches, household_colours_refresh_started
from wangge.regions.models import Household, HouseholdColourOverride
from wangge.regions.overrides import colour_overrides_expire
from wangge.regions.tests.colour_fixtures import add_member, colour_types, coloured, put_under

__all__ = ["colour_types", "coloured"]

START = datetime(2022, 7, 1, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
COLOURS = ("red", "orange", "yellow")

PERSON = st.integers(min_value=0, max_value=5)
HOUSEHOLD = st.integers(min_value=0, max_value=4)
STEP = st.one_of(
    st.tuples(st.just("assign"), PERSON, st.sampled_from(COLOURS), st.integers(0, 2)),
    st.tuples(st.just("release"), PERSON),
    st.tuples(st.just("end_early"), PERSON),
    st.tuples(st.just("transfer"), PERSON, st.sampled_from((None, *COLOURS))),
    st.tuples(st.just("status"), PERSON, st.sampled_from(Person.Status.values)),
    st.tuples(st.just("move"), PERSON, HOUSEHOLD),
    st.tuples(st.just("register"), HOUSEHOLD),
    st.tuples(
        st.just("override"),
        HOUSEHOLD,
        st.sampled_from(("red", "white", "green")),
        st.integers(1, 4),
    ),
    st.tuples(st.just("lift"), HOUSEHOLD),
    st.tuples(st.just("days"), st.integers(1, 5)),
)


def apply(step: tuple, world, types, persons: list[Person], households: list[Household]) -> None:
    alice = world.users["alice"]
    kind, *args = step
    person = (
        persons[args[0] % len(persons)]
        if kind in {"assign", "release", "end_early", "transfer", "status", "move"}
        else None
    )
    active = (
        PersonMeasure.objects.filter(person=person, status="active").first() if person else None
    )
    if kind == "assign":
        assert person is not None
        put_under(
            alice, person, types[args[1]], start=timezone.localdate() + timedelta(days=args[2])
        )
    elif kind == "release" and active:
        measure_release(by=alice, measure=active)
    elif kind == "end_early" and active:
        measure_end_early(by=alice, measure=active, reason="误判")
    elif kind == "transfer" and active:
        new_type = types[args[1]] if args[1] else None
        measure_transfer(
            by=alice, measure=active, reason="转运", destination="隔离点", measure_type=new_type
        )
    elif kind == "status":
        person_set_status(by=alice, person=Person.objects.get(pk=person.pk), status=args[1])
    elif kind == "move":
        assert person is not None
        person.refresh_from_db()
        data = PersonData(name=person.name, id_type=person.id_type, id_number=person.id_number)
        person_update(by=alice, person=person, data=data, household=households[args[1]])
    elif kind == "register":
        persons.append(add_member(alice, households[args[0]]))
    elif kind == "override":
        colour_override_set(
            by=alice,
            household=households[args[0]],
            colour=args[1],
            reason="封门",
            expires_at=timezone.now() + timedelta(days=args[2]),
        )
    elif kind == "lift":
        override = HouseholdColourOverride.objects.filter(
            household=households[args[0]], ended_at=None
        ).first()
        if override:
            colour_override_lift(by=alice, override=override)
    elif kind == "days":
        return


def sweep() -> None:
    """What the periodic tasks do when the clock moves on."""
    colour_overrides_expire()
    household_colours_refresh_started()
    measure_release_due()


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(steps=st.lists(STEP, min_size=1, max_size=12))
def test_incremental_colours_equal_a_full_recompute(coloured, colour_types, steps):
    with transaction.atomic(), time_machine.travel(START, tick=False) as clock:
        households = list(coloured.households.values()) + [
            Household.objects.create(
                building=coloured.households["a"].building,
                grid=coloured.grid_a,
                unit="2",
                floor=1,
                room="102",
            )
        ]
        persons = [Person.objects.get(pk=p.pk) for p in coloured.persons.values()]
        for step in steps:
            if step[0] == "days":
                clock.shift(timedelta(days=step[1]))
                sweep()
            else:
                # a step the rules refuse (already under a measure, not yet due …) changes nothing
                with suppress(ValidationError):
                    apply(step, coloured, colour_types, persons, households)
            assert list(colour_mismatches(Household.objects.all())) == [], step
        transaction.set_rollback(True)
