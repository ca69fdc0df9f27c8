from dataclasses import dataclass

import pytest

from wangge.teams.models import Member, Team
from wangge.teams.tests.call_fixtures import member, team


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


@pytest.fixture(autouse=True)
def clock():
    """The calls' tests run at 09:00 Shanghai on a fixed day."""
    import time_machine

    from wangge.teams.tests.call_fixtures import NOW

    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller
