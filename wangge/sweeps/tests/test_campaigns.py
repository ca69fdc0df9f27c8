"""Campaigns: who creates and starts them, one visit per household, sweepers by grid or building,
closing; and who sees which campaign and visit."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from conftest import _staff
from wangge.core.roles import Action
from wangge.people.models import Assignment, Duty
from wangge.sweeps.models import Campaign, CampaignStatus, Visit
from wangge.sweeps.services.campaigns import campaign_assign, campaign_close, campaign_create
from wangge.sweeps.services.visits import attempt_record
from wangge.sweeps.tests.conftest import at, cid


def test_starting_makes_one_visit_per_household_with_its_grid_and_building(world, campaign):
    visits = Visit.objects.filter(campaign=campaign)
    households = [world.households[key] for key in ("a", "a1", "b")]
    assert sorted(visits.values_list("household", "grid", "building")) == sorted(
        (h.pk, h.grid_id, h.building_id) for h in households
    )
    assert campaign.status == CampaignStatus.RUNNING


def test_a_grid_worker_may_not_create_a_campaign(world, clock):
    with pytest.raises(PermissionDenied):
        campaign_create(
            by=world.users["gavin"],
            name="扫楼",
            grids=[world.grid_a],
            checks=["fire"],
            since=None,
            deadline=at(10, 18),
        )


def test_a_campaign_needs_known_checks(world, clock):
    with pytest.raises(ValidationError, match="未知的检查项"):
        campaign_create(
            by=world.users["carol"],
            name="扫楼",
            grids=[world.grid_a],
            checks=["astrology"],
            since=None,
            deadline=at(10, 18),
        )


def test_a_sweeper_without_a_role_sees_and_sweeps_only_the_building_given(world, campaign):
    # given a volunteer given 张三's building
    volunteer = _staff("vic", None)
    building = world.households["a"].building
    campaign_assign(
        by=world.users["gavin"], campaign=campaign, sweeper=volunteer, buildings=[building]
    )
    row = Assignment.objects.get(holder_user=volunteer)
    assert (row.duty, row.source, row.source_id) == (Duty.SWEEPER, "sweep", campaign.pk)
    # then
    seen = Visit.objects.restrict(volunteer, Action.EDIT)
    assert list(seen.values_list("household", flat=True)) == [world.households["a"].pk]
    assert list(Campaign.objects.restrict(volunteer, Action.VIEW)) == [campaign]
    visit = seen.get()
    attempt_record(by=volunteer, visit=visit, client_id=cid(), at=at(6, 10), result="nobody_home")


def test_a_grid_worker_may_not_assign_in_another_grid(world, campaign):
    with pytest.raises(PermissionDenied):
        campaign_assign(
            by=world.users["bella"],
            campaign=campaign,
            sweeper=world.users["bella"],
            grids=[world.grid_a],
        )


def test_a_building_outside_the_campaign_is_refused(world, campaign):
    outside = world.households["d"].building
    with pytest.raises(ValidationError, match="不在本行动范围内"):
        campaign_assign(
            by=world.users["alice"],
            campaign=campaign,
            sweeper=world.users["gavin"],
            buildings=[outside],
        )


def test_closing_ends_the_sweepers_assignments(world, campaign):
    volunteer = _staff("vic", None)
    campaign_assign(
        by=world.users["carol"], campaign=campaign, sweeper=volunteer, grids=[world.grid_a]
    )
    campaign_close(by=world.users["carol"], campaign=campaign)
    assert not Visit.objects.restrict(volunteer, Action.VIEW).exists()
    assert not Assignment.objects.active().filter(holder_user=volunteer).exists()


def test_each_grid_worker_sees_only_their_grids_visits(world, campaign):
    gavin = set(
        Visit.objects.restrict(world.users["gavin"], Action.VIEW).values_list("grid", flat=True)
    )
    bella = set(
        Visit.objects.restrict(world.users["bella"], Action.VIEW).values_list("grid", flat=True)
    )
    assert gavin == {world.grid_a.pk, world.grid_a1.pk}
    assert bella == {world.grid_b.pk}
    assert not Campaign.objects.restrict(world.users["dora"], Action.VIEW).exists()
