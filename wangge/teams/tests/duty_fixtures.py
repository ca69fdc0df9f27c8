"""Personas for the duty list and co-building unit tests, on top of the shared world: Wendy works
for 西社区 (the other community); the street's 红马甲 team of 东社区 has Pan, a confirmed party
member, and Lu, a confirmed member who is not one."""

from dataclasses import dataclass
from typing import Any

import pytest

from conftest import World, _staff
from wangge.core.roles import Role
from wangge.teams.models import Member, MemberStatus, Position, Team, TeamColour, TeamKind
from wangge.teams.services import duties


@dataclass
class Duties:
    world: World
    wendy: Any
    team: Team
    pan: Member
    lu: Member
    street_post: Position
    east_post: Position


def member(team: Team, name: str, *, party: bool) -> Member:
    row = Member(team=team, name=name, party_member=party, status=MemberStatus.CONFIRMED)
    row.set_phone("13900001234" if party else "13900005678")
    row.save()
    return row


@pytest.fixture(name="lists")
def lists_fixture(world: World) -> Duties:
    wendy = _staff("wendy", Role.COMMUNITY_WORKER, community=world.west)
    team = Team.objects.create(
        name="红马甲",
        kind=TeamKind.PARTY,
        colour=TeamColour.RED,
        street=world.street,
        community=world.east,
    )
    street_post = duties.position_create(
        by=world.users["alice"],
        street=world.street,
        data=duties.PositionData(name="社区党委书记"),
        duties=["统筹社区疫情防控工作", "组织每日碰头会"],
    )
    east_post = duties.position_create(
        by=world.users["carol"],
        street=world.street,
        community=world.east,
        data=duties.PositionData(
            name="党员先锋岗（东门）", is_party_post=True, place="阳光花园东门"
        ),
        duties=["带头值守卡口"],
    )
    return Duties(
        world,
        wendy,
        team,
        member(team, "潘红", party=True),
        member(team, "陆明", party=False),
        street_post,
        east_post,
    )
