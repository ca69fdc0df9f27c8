"""A campaign's progress per grid and building adds up over the visits a user may see; the
building map shows each room's visit, and another grid's building is not found."""

import pytest
from django.http import Http404

from wangge.sweeps.models import Attempt, AttemptResult
from wangge.sweeps.selectors.progress import building_map, campaign_progress
from wangge.sweeps.tests.sweep_world import sweep_of


@pytest.fixture
def sweep(world):
    return sweep_of(world)


def test_the_street_sees_every_status_counted_per_grid_and_building(world, sweep):
    # when the commander reads the progress
    progress = campaign_progress(user=world.users["alice"], campaign=sweep.campaign)

    # then the totals hold every visit, and the persons of the households that answered
    total = progress.total.as_dict()
    assert total == {
        "answered": 2,
        "proxy": 1,
        "pending": 2,
        "refused": 1,
        "moved": 1,
        "persons": 4,  # 张三, 李四, and the proxy household's 钱七 and 孙八
        "total": 7,
        "done": 5,
        "percent": 71,
    }
    grids = {row.name: row.counts for row in progress.grids}
    assert grids["东社区·第一网格"].as_dict() == {
        "answered": 1,
        "proxy": 1,
        "pending": 1,
        "refused": 1,
        "moved": 0,
        "persons": 3,
        "total": 4,
        "done": 3,
        "percent": 75,
    }
    assert grids["东社区·第二网格"].moved == 1 and grids["西社区·第四网格"].pending == 1
    assert {row.name: row.counts.total for row in progress.communities} == {
        "东社区": 6,
        "西社区": 1,
    }
    buildings = {(row.name, row.parent): row.counts.total for row in progress.buildings}
    assert buildings == {
        ("阳光花园1幢", world.grid_a.pk): 4,
        ("阳光花园2幢", world.grid_a1.pk): 1,
        ("阳光花园3幢", world.grid_b.pk): 1,
        ("江景苑1幢", world.grid_d.pk): 1,
    }


def test_a_grid_worker_counts_only_their_grids(world, sweep):
    # when the grid worker of grid B reads the progress
    progress = campaign_progress(user=world.users["bella"], campaign=sweep.campaign)

    # then only grid B is there, and the totals are grid B's
    assert [row.name for row in progress.grids] == ["东社区·第二网格"]
    assert progress.total.total == 1 and progress.total.moved == 1
    assert [row.name for row in progress.buildings] == ["阳光花园3幢"]


def test_the_building_map_lays_rooms_out_by_floor_with_their_attempts(world, sweep):
    # given two attempts at 1-101's door, the second answered
    visit = sweep.visits["a"]
    Attempt.objects.create(
        visit=visit,
        client_id="00000000-0000-4000-8000-000000000001",
        at=visit.campaign.started_at,
        result=AttemptResult.NOBODY_HOME,
    )
    Attempt.objects.create(
        visit=visit,
        client_id="00000000-0000-4000-8000-000000000002",
        at=visit.campaign.deadline,
        result=AttemptResult.ANSWERED,
    )

    # when grid A's worker opens the map of 1幢
    plan = building_map(
        user=world.users["gavin"], campaign=sweep.campaign, building_id=visit.building_id
    )

    # then the second floor is on top, rooms in their columns, each with its status
    (unit,) = plan.units
    assert [floor for floor, _ in unit.floors] == [2, 1]
    assert [[door.room if door else None for door in doors] for _, doors in unit.floors] == [
        ["201", "202"],
        ["101", "102"],
    ]
    door = unit.floors[1][1][0]
    assert (door.status, door.attempts, door.last_result) == ("answered", 2, "answered")
    assert plan.counts.total == 4


def test_another_grids_building_map_is_not_found(world, sweep):
    with pytest.raises(Http404):
        building_map(
            user=world.users["bella"],
            campaign=sweep.campaign,
            building_id=sweep.visits["a"].building_id,
        )
