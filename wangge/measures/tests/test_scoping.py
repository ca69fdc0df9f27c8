"""Who sees which measure: the grid, the community, the street — and the three-person team, even
outside its own grid, for as long as the measure is active."""

from datetime import date

import pytest

from wangge.measures.models import CheckIn, HealthCodeChange, PersonMeasure
from wangge.measures.services import (
    CodeRow,
    Team,
    checkin_record,
    health_code_record,
    measure_assign,
    measure_end_early,
)
from wangge.people.models import Person

from .conftest import at

DAY = date(2022, 7, 1)


@pytest.fixture
def wang_under_bella_and_gavin(world, drill, clock):
    """Wang Wu lives in grid B (Bella's); Gavin of grid A serves on his team."""
    (measure,) = measure_assign(
        by=world.users["carol"],
        persons=[world.persons["wang_wu"]],
        measure_type=drill["home"],
        start=DAY,
        reason="跨网格包保",
        team=Team(grid_worker=world.users["gavin"], doctor=world.users["dora"]),
    )
    return measure


def _sees(user, model=Person, **lookup):
    return model.objects.restrict(user, "view").filter(**lookup).exists()


def test_the_team_sees_the_person_outside_their_grid(world, wang_under_bella_and_gavin):
    wang = world.persons["wang_wu"]
    assert _sees(world.users["gavin"], pk=wang.pk)
    assert _sees(world.users["dora"], pk=wang.pk)
    assert _sees(world.users["gavin"], PersonMeasure, pk=wang_under_bella_and_gavin.pk)
    # and the rest of grid B stays hidden from Gavin
    assert (
        not Person.objects.restrict(world.users["gavin"], "view")
        .filter(household__grid=world.grid_b)
        .exclude(pk=wang.pk)
        .exists()
    )


def test_team_visibility_ends_with_the_measure(world, wang_under_bella_and_gavin):
    measure_end_early(
        by=world.users["carol"], measure=wang_under_bella_and_gavin, reason="解除误判"
    )
    assert not _sees(world.users["gavin"], pk=world.persons["wang_wu"].pk)
    assert not _sees(world.users["dora"], pk=world.persons["wang_wu"].pk)


def test_team_visibility_gives_no_action_the_role_lacks(world, wang_under_bella_and_gavin):
    wang = world.persons["wang_wu"]
    assert Person.objects.restrict(world.users["gavin"], "edit").filter(pk=wang.pk).exists()
    assert not Person.objects.restrict(world.users["dora"], "edit").filter(pk=wang.pk).exists()
    assert not Person.objects.restrict(world.users["gavin"], "export").filter(pk=wang.pk).exists()


def test_a_grid_worker_does_not_see_another_grids_measures(world, drill, clock):
    (measure,) = measure_assign(
        by=world.users["carol"],
        persons=[world.persons["wang_wu"]],
        measure_type=drill["home"],
        start=DAY,
        reason="网格B",
    )
    checkin_record(by=world.users["bella"], measure=measure, temperature="38.5", client_id="b1")
    health_code_record(
        by=world.users["alice"],
        rows=[CodeRow(1, world.persons["wang_wu"].id_number, "red", at(DAY, 6))],
        source="api",
    )
    gavin = world.users["gavin"]
    assert not _sees(gavin, PersonMeasure, pk=measure.pk)
    assert not _sees(gavin, CheckIn, measure=measure)
    assert not _sees(gavin, HealthCodeChange, person=world.persons["wang_wu"])
    assert _sees(world.users["bella"], CheckIn, measure=measure)
    assert _sees(world.users["carol"], HealthCodeChange, person=world.persons["wang_wu"])
    assert not _sees(world.users["kim"], PersonMeasure, pk=measure.pk)


def test_a_west_community_measure_is_hidden_from_the_east(world, drill, clock):
    (measure,) = measure_assign(
        by=world.users["alice"],
        persons=[world.persons["zhao_liu"]],
        measure_type=drill["home"],
        start=DAY,
        reason="西社区",
    )
    assert not _sees(world.users["carol"], PersonMeasure, pk=measure.pk)
    assert _sees(world.users["alice"], PersonMeasure, pk=measure.pk)
