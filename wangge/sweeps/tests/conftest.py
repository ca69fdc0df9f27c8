"""A sweep of 东社区's grids A and B (with A's small grid), started on 2022-07-04 at 08:00 and
checked on the 6th at 21:00 (Shanghai): checks travel, vaccination and elderly needs."""

import uuid
from collections.abc import Iterator
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from wangge.sweeps.models import Campaign, Visit
from wangge.sweeps.services.campaigns import campaign_create, campaign_start

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2022, 7, day, hour, minute, tzinfo=SHANGHAI)


def cid() -> str:
    return str(uuid.uuid4())


@pytest.fixture
def clock() -> Iterator[time_machine.Traveller]:
    with time_machine.travel(at(4, 8), tick=False) as traveller:
        yield traveller


@pytest.fixture
def campaign(world, clock) -> Campaign:
    made = campaign_create(
        by=world.users["carol"],
        name="七月扫楼",
        grids=[world.grid_a, world.grid_b],
        checks=["elderly", "travel", "vaccination"],
        since=date(2022, 6, 20),
        deadline=at(10, 18),
    )
    campaign_start(by=world.users["carol"], campaign=made)
    clock.move_to(at(6, 21))
    made.refresh_from_db()
    return made


@pytest.fixture
def visit_a(world, campaign) -> Visit:
    """张三's household in grid A."""
    return Visit.objects.get(campaign=campaign, household=world.households["a"])


def answers_for(visit: Visit, **extra: object) -> dict:
    """A complete answer: everyone present, at home, vaccinated, no need."""
    members = [str(pk) for pk in visit.household.members.values_list("pk", flat=True)]
    answers = {
        "residents.present": dict.fromkeys(members, True),
        "travel.away": dict.fromkeys(members, False),
        "vaccination.doses": dict.fromkeys(members, "full"),
        "elderly.need": False,
    }
    answers.update(extra)
    return answers
