"""A call world on the personas' street: 东社区's volunteers (some confirmed, one with a medical
skill, one pending), 西社区's volunteers, and a call of 东社区 with two posts."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from wangge.core.identity import parse_phone
from wangge.teams.models import Call, Member, MemberStatus, Team, TeamKind
from wangge.teams.services.calls import CallInput, PostInput, call_create

NOW = datetime(2026, 12, 7, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def team(street, community, name="志愿者服务队", kind=TeamKind.VOLUNTEER) -> Team:
    return Team.objects.create(
        name=name, kind=kind, colour="orange", street=street, community=community
    )


def member(team, name, phone, *, status=MemberStatus.CONFIRMED, skills=(), user=None) -> Member:
    row = Member(team=team, name=name, status=status, skills=list(skills), user=user)
    row.set_phone(parse_phone(phone) if phone else "")
    row.save()
    return row


def posts(start=NOW + timedelta(days=1), needed=(2, 1), skill=("", "")) -> list[PostInput]:
    return [
        PostInput(
            name=f"岗位{n}",
            place="阳光花园东门",
            starts_at=start + timedelta(hours=4 * n),
            ends_at=start + timedelta(hours=4 * n + 4),
            needed=count,
            skill=skill[n],
        )
        for n, count in enumerate(needed)
    ]


def make_call(by, street, community, teams=(), *, skill="", now=NOW, **changes) -> Call:
    data = CallInput(
        kind=changes.pop("kind", "muster"),
        title=changes.pop("title", "卡点值守召集令"),
        text="东社区需要志愿者值守卡点",
        deadline=changes.pop("deadline", now + timedelta(hours=12)),
        posts=changes.pop("posts", posts()),
        street=street,
        community=community,
        teams=list(teams),
        team_kinds=changes.pop("team_kinds", ()),
        skill=skill,
    )
    return call_create(by=by, data=data, now=now)
