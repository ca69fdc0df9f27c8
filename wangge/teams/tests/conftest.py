"""The teams of the world: 东社区's volunteer team that takes sign-ups, 西社区's 红马甲 team, and
Wendy, who works for 西社区 as Carol does for 东社区."""

from dataclasses import dataclass

import pytest

from wangge.accounts.models import RoleAssignment, User
from wangge.core.roles import Role
from wangge.teams.models import Team
from wangge.teams.services import team_create


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
