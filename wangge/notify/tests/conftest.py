"""The world, and what audiences need beside it: a second 第一网格 (in 西社区), a red building
there whose households test the one-person-per-household rule, a resident who moved out, a
DingTalk robot for grid A, and a clock pinned near midnight in Shanghai."""

from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from conftest import World, _person
from wangge.notify.models import Robot
from wangge.people.models import Person
from wangge.regions.models import Building, Grid, Household

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 12, 7, 23, 50, tzinfo=SHANGHAI)


@dataclass
class Places:
    world: World
    grid_w1: Grid
    red: dict[str, Household] = field(default_factory=dict)
    robot: Robot | None = None


def resident(
    household, name, serial, phone="", *, sex="M", born=date(1980, 5, 17), relation="head"
):
    person = _person(household, name, serial, phone or "13800138000")
    if not phone:
        person.phone_sealed = person.phone_hash = person.phone_masked = ""
    person.sex, person.birth_date, person.relation = sex, born, relation
    person.save()
    return person


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False):
        yield NOW


@pytest.fixture
def places(world, clock) -> Places:
    grid_w1 = Grid.objects.create(community=world.west, name="第一网格")
    compound = world.households["d"].building.compound
    building = Building.objects.create(compound=compound, name="2幢", grid=grid_w1, units=2)
    p = Places(world, grid_w1)
    for key, room in [("adult", "302"), ("child", "303"), ("refused", "304"), ("empty", "305")]:
        p.red[key] = Household.objects.create(building=building, grid=grid_w1, unit="2", room=room)
    Household.objects.filter(pk__in=[h.pk for h in p.red.values()]).update(colour="red")
    # 302: the head has no phone; a child (registered first) and an adult do.
    resident(p.red["adult"], "欧阳明", 11)
    resident(
        p.red["adult"],
        "林小雨",
        12,
        "13311113333",
        sex="F",
        born=date(2014, 3, 1),
        relation="child",
    )
    resident(
        p.red["adult"], "林芳", 13, "13911112222", sex="F", born=date(1985, 2, 2), relation="spouse"
    )
    # 303: only a child without a phone lives there.
    resident(p.red["child"], "陈小宝", 14, born=date(2018, 1, 1), relation="child")
    # 304: the head has the only phone.
    p.world.persons["refuser"] = resident(p.red["refused"], "周强", 15, "13722223333")
    # 305: nobody lives there any more.
    gone = resident(p.red["empty"], "吴迁", 16, "13655556666")
    Person.objects.filter(pk=gone.pk).update(status=Person.Status.MOVED_OUT)
    moved = resident(world.households["a"], "郑离", 17, "13544445555", relation="tenant")
    Person.objects.filter(pk=moved.pk).update(status=Person.Status.MOVED_OUT)
    robot = Robot(grid=world.grid_a, kind=Robot.Kind.DINGTALK, name="第一网格工作群")
    robot.set_token("token-a")
    robot.save()
    p.robot = robot
    return p
