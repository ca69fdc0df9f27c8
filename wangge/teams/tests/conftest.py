"""The teams of the world: 东社区's volunteer team that takes sign-ups and 西社区's 红马甲 team, with
Wendy, who works for 西社区 as Carol does for 东社区; and the calls' crew of members."""

from dataclasses import dataclass

import pytest

from wangge.accounts.models import RoleAssignment, User
from wangge.core.roles import Role
from wangge.teams.models import Member, Team
from wangge.teams.services import team_create
from wangge.teams.tests.call_fixtures import member, team


@dataclass
class Teams:
    east: Team
    west: Team
    wendy: User


@pytest.fixture(autouse=True)
def _no_address_limits(settings):
    """Sign-ups from one address are not limited unless a test sets the limit."""
    settings.WANGGE = {**settings.WANGGE, "TEAM_SIGNUPS_PER_ADDRESS_PER_MINUTE": 0}


@pytest.fixture
def teams(world) -> Teams:
    wendy = User.objects.create_user(username="wendy", password="x", full_name="Wendy")
    RoleAssignment.objects.create(user=wendy, role=Role.COMMUNITY_WORKER, community=world.west)
    east = team_create(
        by=world.users["carol"],
        community=world.east,
        name="东社区志愿者服务队",
        kind="volunteer",
        open_signup=True,
    )
    west = team_create(by=wendy, community=world.west, name="西社区红马甲", kind="party")
    return Teams(east, west, wendy)


@dataclass
class Crew:
    east: Team
    west: Team
    medic: Member  # east, confirmed, medical
    helper: Member  # east, confirmed
    waiting: Member  # east, pending
    far: Member  # west, confirmed


@pytest.fixture
def crew(world) -> Crew:
    east = team(world.street, world.east)
    west = team(world.street, world.west)
    return Crew(
        east=east,
        west=west,
        medic=member(east, "钱医", "13811110001", skills=["medical"]),
        helper=member(east, "孙助", "13811110002"),
        waiting=member(east, "周待", "13811110003", status="pending"),
        far=member(west, "吴远", "13811110004"),
    )


@pytest.fixture
def clock():
    """The calls' tests run at 09:00 Shanghai on a fixed day (`pytestmark` in their modules)."""
    import time_machine

    from wangge.teams.tests.call_fixtures import NOW

    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller
