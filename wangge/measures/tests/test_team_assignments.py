"""The team of a measure (三包) is a 包保 assignment: setting the team writes people.Assignment rows,
ending the measure ends them, and only the active rows grant the team member the person."""

from datetime import date, timedelta

import pytest

from wangge.core.roles import Role
from wangge.measures.models import PersonMeasure
from wangge.measures.services import Team, measure_assign, measure_release, measure_test_record
from wangge.people.models import Assignment, Person

from .conftest import at

DAY = date(2022, 7, 1)


@pytest.fixture
def measure(world, drill, clock):
    """Wang Wu (grid B) with Gavin of grid A and Dora the doctor of the west community as team."""
    (measure,) = measure_assign(
        by=world.users["carol"],
        persons=[world.persons["wang_wu"]],
        measure_type=drill["home"],
        start=DAY,
        reason="跨网格包保",
        team=Team(grid_worker=world.users["gavin"], doctor=world.users["dora"]),
    )
    return measure


def _team_rows(measure):
    return Assignment.objects.filter(source=Assignment.Source.MEASURE, source_id=measure.pk)


def _sees(user, person):
    return Person.objects.restrict(user, "view").filter(pk=person.pk).exists()


def test_setting_the_team_writes_one_assignment_per_member(world, measure):
    rows = {
        (a.holder_user_id, a.duty, a.person_id, a.started, a.ended) for a in _team_rows(measure)
    }
    assert rows == {
        (world.users["gavin"].pk, Role.GRID_WORKER, measure.person_id, DAY, None),
        (world.users["dora"].pk, Role.DOCTOR, measure.person_id, DAY, None),
    }


def test_release_ends_the_assignments_and_the_doctor_no_longer_sees_the_person(
    world, measure, clock
):
    wang = world.persons["wang_wu"]
    assert _sees(world.users["dora"], wang)
    released_on = DAY + timedelta(days=7)
    clock.move_to(at(released_on, 9))
    for day in (1, 4, 7):
        measure_test_record(
            by=world.users["gavin"],
            person=wang,
            sampled_on=DAY + timedelta(days=day - 1),
            result="negative",
        )
    measure_release(by=world.users["carol"], measure=measure, reason="期满")
    assert set(_team_rows(measure).values_list("ended", flat=True)) == {released_on}
    # the follow-on measure keeps the team on new rows of its own
    follow = PersonMeasure.objects.get(previous=measure)
    assert _team_rows(follow).filter(ended=None).count() == 2
    _team_rows(follow).update(ended=released_on)
    assert not _sees(world.users["dora"], wang)
    assert not _sees(world.users["gavin"], wang)


def test_an_ended_assignment_grants_nothing(world, measure, clock):
    wang = world.persons["wang_wu"]
    _team_rows(measure).update(ended=DAY)
    assert not _sees(world.users["dora"], wang)
    assert not _sees(world.users["gavin"], wang)
