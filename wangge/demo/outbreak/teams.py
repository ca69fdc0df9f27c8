"""The street's people power on day 6: in every community the three teams — 红马甲 (party members
of the register), 蓝衣领 (the community's staff) and 绿迷彩 (militia) — with skills and some
service records, and in the outbreak's community a volunteer team that takes sign-ups, whose
confirmed volunteers stand at the checkpoints and a few of whose sign-ups wait to be confirmed."""

import random
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Q

from wangge.accounts.models import RoleAssignment, User
from wangge.core.identity import Sex
from wangge.demo.outbreak.cast import Cast
from wangge.demo.outbreak.clock import DAYS, moment
from wangge.people.models import Person
from wangge.regions.models import Community
from wangge.teams.models import Member, ServiceRecord, Skill, Team, TeamKind
from wangge.teams.services import (
    Signup,
    member_add,
    member_signup,
    service_record_add,
    team_create,
)

PARTY_MEMBERS = 6
MILITIA = 5
VOLUNTEERS = ("周志强", "吴秀兰", "郑海燕", "王建军")
SIGNUPS = (
    ("林晓雯", "13905718801", [Skill.DATA_ENTRY], "周末全天"),
    ("陈国栋", "13905718802", [Skill.DRIVING, Skill.CARRYING], "工作日晚上"),
    ("黄丽娟", "13905718803", [Skill.MEDICAL], "随时"),
)
PARTY_SKILLS = (Skill.ORDER, Skill.DATA_ENTRY, Skill.ELDERLY_CARE, Skill.PSYCHOLOGY)
MILITIA_SKILLS = (Skill.ORDER, Skill.CARRYING, Skill.DRIVING)


def _adults(community: Community, today: date, **where: object) -> list[Person]:
    """Adults of 22 to 60 with a phone, one per phone."""
    rows = Person.objects.filter(
        household__grid__community=community,
        birth_date__lte=today - timedelta(days=365 * 22),
        birth_date__gte=today - timedelta(days=365 * 60),
        **where,
    ).exclude(phone_hash="")
    return list({p.phone_hash: p for p in rows.order_by("-pk")[:200]}.values())[::-1]


def _staff(community: Community) -> list[User]:
    roles = RoleAssignment.objects.filter(Q(community=community) | Q(grid__community=community))
    return list(User.objects.filter(pk__in=roles.values("user"), is_active=True).order_by("pk"))


def _records(cast: Cast, rng: random.Random, members: list[Member], kind: str, what: str) -> None:
    for member in members[::2]:
        day = cast.calendar.day(rng.randint(1, DAYS))
        service_record_add(
            by=cast.commander,
            member=member,
            kind=kind,
            day=day,
            hours=Decimal(rng.choice((2, 3, 4, 6))),
            activity=what,
        )


def _three_teams(
    cast: Cast, rng: random.Random, community: Community
) -> tuple[list[Member], list[Member]]:
    by, today = cast.commander, cast.calendar.today
    red = team_create(by=by, community=community, name="红马甲党员突击队", kind=TeamKind.PARTY)
    blue = team_create(by=by, community=community, name="蓝衣领社工队", kind=TeamKind.STAFF)
    green = team_create(by=by, community=community, name="绿迷彩民兵队", kind=TeamKind.MILITIA)
    party = _adults(community, today, tags__code="party_member")[:PARTY_MEMBERS]
    reds = [
        member_add(
            by=by,
            team=red,
            person=person,
            skills=rng.sample(PARTY_SKILLS, 2),
            availability=rng.choice(("工作日晚上", "周末全天", "随时")),
            party_member=True,
        )
        for person in party
    ]
    for user in _staff(community):
        member_add(by=by, team=blue, user=user, skills=[Skill.DATA_ENTRY], availability="工作日")
    men = _adults(community, today, sex=Sex.MALE)
    greens = [
        member_add(
            by=by,
            team=green,
            person=person,
            skills=rng.sample(MILITIA_SKILLS, 2),
            availability="随时",
        )
        for person in rng.sample(men, min(MILITIA, len(men)))
    ]
    return reds, greens


def teams_seed(cast: Cast, rng: random.Random) -> Team:
    """Set up on day 1 (the sign-ups come on day 5); the volunteer team, whose confirmed members
    the checkpoints roster."""
    with moment(cast.calendar.at(1, 10)):
        served = [
            _three_teams(cast, rng, community)
            for community in Community.objects.filter(street=cast.street).order_by("pk")
        ]
        volunteers = team_create(
            by=cast.community_worker,
            community=cast.community,
            name="春晓志愿者服务队",
            kind=TeamKind.VOLUNTEER,
            description="卡点值守、物资配送、信息录入",
            open_signup=True,
        )
        for index, name in enumerate(VOLUNTEERS):
            member_add(
                by=cast.community_worker,
                team=volunteers,
                name=name,
                phone=f"1390571{index:04d}",
                skills=[Skill.ORDER],
                availability="每天",
            )
    with moment(cast.calendar.at(5, 20)):
        for name, phone, skills, availability in SIGNUPS:
            member_signup(
                team=volunteers,
                data=Signup(name=name, phone=phone, skills=skills, availability=availability),
            )
    with moment(cast.calendar.now):
        for reds, greens in served:
            _records(cast, rng, reds, ServiceRecord.Kind.PARTY_POST, "党员先锋岗值守")
            _records(cast, rng, greens, ServiceRecord.Kind.OTHER, "协助转运物资")
    return volunteers
