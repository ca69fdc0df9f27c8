"""Teams and their members: staff set up teams and enter members, the community confirms or
declines sign-ups, members leave, and their service is recorded. Every function checks that `by`
holds EDIT on the team's area (a street-wide team: on its street)."""

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from wangge.accounts.authority import holds
from wangge.accounts.models import User
from wangge.core import crypto
from wangge.core.identity import IdentityError, parse_phone
from wangge.core.origin import Origin
from wangge.core.roles import Action
from wangge.core.services import audit_record, field_changes
from wangge.people.models import Person
from wangge.regions.models import Community, Street
from wangge.teams.models import (
    KIND_COLOURS,
    Member,
    MemberSource,
    MemberStatus,
    ServiceRecord,
    Skill,
    Team,
    TeamColour,
    TeamKind,
)

MAX_HOURS = Decimal(24)


def _require_team_edit(by: User, team: Team) -> None:
    if not Team.objects.restrict(by, Action.EDIT).filter(pk=team.pk).exists():
        raise PermissionDenied("您无权管理该队伍 / you may not manage this team")


def name_clean(name: str) -> str:
    name = name.strip()
    if not name:
        raise ValidationError({"name": "请填写姓名 / the name is required"})
    return name[:50]


def phone_clean(raw: str) -> str:
    try:
        return parse_phone(raw)
    except IdentityError as error:
        raise ValidationError({"phone": str(error)}) from error


def skills_clean(skills: Any) -> list[str]:
    """The skill codes, each one of `Skill`, in the library's order."""
    given = set(skills or ())
    unknown = given - set(Skill.values)
    if unknown:
        raise ValidationError(
            {"skills": f"未知技能 / unknown skills: {', '.join(sorted(unknown))}"}
        )
    return [code for code in Skill.values if code in given]


def phone_taken(team: Team, phone: str, exclude: int | None = None) -> Member | None:
    rows = Member.objects.filter(team=team, phone_hash=crypto.blind_index(phone))
    return rows.exclude(pk=exclude).first() if exclude else rows.first()


def _team_values(team: Team) -> dict[str, Any]:
    return {
        "name": team.name,
        "kind": team.kind,
        "colour": team.colour,
        "description": team.description,
        "open_signup": team.open_signup,
    }


@transaction.atomic
def team_create(
    *,
    by: User,
    name: str,
    kind: str,
    community: Community | None = None,
    street: Street | None = None,
    colour: str = "",
    description: str = "",
    open_signup: bool = False,
    origin: Origin = Origin.SYSTEM,
) -> Team:
    """A team of a community, or street-wide (no community); the kind gives the default colour."""
    if community is not None:
        street = community.street
    if street is None:
        raise ValidationError({"community": "请选择社区或街道 / choose a community or a street"})
    if not holds(by, Action.EDIT, community or street):
        raise PermissionDenied("您无权在该辖区建立队伍 / you may not set up teams here")
    if kind not in TeamKind.values:
        raise ValidationError({"kind": "请选择队伍类别 / choose the kind of team"})
    if colour and colour not in TeamColour.values:
        raise ValidationError({"colour": "未知颜色 / unknown colour"})
    name = name.strip()[:60]
    if not name:
        raise ValidationError({"name": "请填写队伍名称 / the team's name is required"})
    if Team.objects.filter(street=street, community=community, name=name).exists():
        raise ValidationError({"name": "已有同名队伍 / a team of this name exists here"})
    team = Team.objects.create(
        name=name,
        kind=kind,
        colour=colour or KIND_COLOURS[TeamKind(kind)],
        street=street,
        community=community,
        description=description.strip()[:200],
        open_signup=open_signup,
    )
    audit_record(actor=by, action="create", target=team, changes=_team_values(team), origin=origin)
    return team


@transaction.atomic
def team_update(
    *,
    by: User,
    team: Team,
    name: str,
    kind: str,
    colour: str = "",
    description: str = "",
    open_signup: bool = False,
    origin: Origin = Origin.SYSTEM,
) -> Team:
    _require_team_edit(by, team)
    if kind not in TeamKind.values:
        raise ValidationError({"kind": "请选择队伍类别 / choose the kind of team"})
    if colour and colour not in TeamColour.values:
        raise ValidationError({"colour": "未知颜色 / unknown colour"})
    name = name.strip()[:60]
    if not name:
        raise ValidationError({"name": "请填写队伍名称 / the team's name is required"})
    same = Team.objects.filter(street=team.street_id, community=team.community_id, name=name)
    if same.exclude(pk=team.pk).exists():
        raise ValidationError({"name": "已有同名队伍 / a team of this name exists here"})
    before = _team_values(team)
    team.name, team.kind = name, kind
    team.colour = colour or KIND_COLOURS[TeamKind(kind)]
    team.description, team.open_signup = description.strip()[:200], open_signup
    team.save()
    changes = field_changes(before, _team_values(team))
    if changes:
        audit_record(actor=by, action="update", target=team, changes=changes, origin=origin)
    return team


@transaction.atomic
def member_add(
    *,
    by: User,
    team: Team,
    person: Person | None = None,
    user: User | None = None,
    name: str = "",
    phone: str = "",
    skills: Any = (),
    availability: str = "",
    party_member: bool = False,
    note: str = "",
    origin: Origin = Origin.SYSTEM,
) -> Member:
    """Staff enter a member, confirmed at once: a person of the register (one `by` may see), a
    staff user, or a name and phone. The phone is the one given, else the person's or user's."""
    _require_team_edit(by, team)
    if person is not None and user is not None:
        raise ValidationError("请选择登记人员或工作人员之一 / choose a person or a staff user")
    if person is not None:
        if not Person.objects.restrict(by, Action.VIEW).filter(pk=person.pk).exists():
            raise PermissionDenied("您无权查看该人员 / you may not see this person")
        if Member.objects.filter(team=team, person=person).exists():
            raise ValidationError({"person": "该人员已在本队伍 / already in this team"})
        name, phone = name or person.name, phone or (person.phone if person.phone_sealed else "")
    if user is not None:
        if Member.objects.filter(team=team, user=user).exists():
            raise ValidationError({"user": "该工作人员已在本队伍 / already in this team"})
        name, phone = name or str(user), phone or user.phone
    number = phone_clean(phone) if phone.strip() else ""
    if number and phone_taken(team, number):
        raise ValidationError({"phone": "该手机号已在本队伍 / this phone is already in the team"})
    member = Member(
        team=team,
        person=person,
        user=user,
        name=name_clean(name),
        skills=skills_clean(skills),
        availability=availability.strip()[:100],
        party_member=party_member,
        note=note.strip()[:200],
        status=MemberStatus.CONFIRMED,
        source=MemberSource.STAFF,
        decided_at=timezone.now(),
        decided_by=by,
    )
    member.set_phone(number)
    member.save()
    audit_record(
        actor=by,
        action="create",
        target=member,
        changes={"team": team.pk, "phone": member.phone_masked, "skills": member.skills},
        origin=origin,
    )
    return member


def _member_values(member: Member) -> dict[str, Any]:
    return {
        "skills": member.skills,
        "availability": member.availability,
        "party_member": member.party_member,
        "note": member.note,
    }


@transaction.atomic
def member_update(
    *,
    by: User,
    member: Member,
    skills: Any,
    availability: str,
    party_member: bool,
    note: str = "",
    origin: Origin = Origin.SYSTEM,
) -> Member:
    _require_team_edit(by, member.team)
    before = _member_values(member)
    member.skills = skills_clean(skills)
    member.availability = availability.strip()[:100]
    member.party_member = party_member
    member.note = note.strip()[:200]
    member.save(update_fields=["skills", "availability", "party_member", "note"])
    changes = field_changes(before, _member_values(member))
    if changes:
        audit_record(actor=by, action="update", target=member, changes=changes, origin=origin)
    return member


@transaction.atomic
def member_decide(
    *,
    by: User,
    member: Member,
    confirm: bool,
    reason: str = "",
    origin: Origin = Origin.SYSTEM,
) -> Member:
    """The community confirms a sign-up or declines it, saying why."""
    _require_team_edit(by, member.team)
    member = Member.objects.select_for_update().get(pk=member.pk)
    if member.status != MemberStatus.PENDING:
        raise ValidationError("该报名已处理 / this sign-up was already decided")
    reason = reason.strip()[:300]
    if not confirm and not reason:
        raise ValidationError({"reason": "请填写未通过的原因 / say why it is declined"})
    member.status = MemberStatus.CONFIRMED if confirm else MemberStatus.DECLINED
    member.decided_at, member.decided_by = timezone.now(), by
    member.save(update_fields=["status", "decided_at", "decided_by"])
    audit_record(
        actor=by,
        action="update",
        target=member,
        changes={"status": member.status},
        reason=reason,
        origin=origin,
    )
    return member


@transaction.atomic
def member_leave(
    *, by: User, member: Member, reason: str = "", origin: Origin = Origin.SYSTEM
) -> Member:
    """The member leaves the team; their service records stay."""
    _require_team_edit(by, member.team)
    if member.status == MemberStatus.LEFT:
        return member
    member.status = MemberStatus.LEFT
    member.save(update_fields=["status"])
    audit_record(
        actor=by,
        action="update",
        target=member,
        changes={"status": MemberStatus.LEFT},
        reason=reason.strip()[:300],
        origin=origin,
    )
    return member


def hours_clean(hours: Any) -> Decimal:
    try:
        value = Decimal(str(hours)).quantize(Decimal("0.1"))
    except (InvalidOperation, ValueError) as error:
        raise ValidationError({"hours": "时长应为数字 / hours must be a number"}) from error
    if not Decimal(0) < value <= MAX_HOURS:
        raise ValidationError(
            {"hours": "时长应在0至24小时之间 / hours must be over 0 and at most 24"}
        )
    return value


@transaction.atomic
def service_record_add(
    *,
    by: User,
    member: Member,
    kind: str,
    day: date,
    hours: Any,
    activity: str,
    origin: Origin = Origin.SYSTEM,
) -> ServiceRecord:
    """A stretch of service entered by staff: hours over 0, a day not in the future, by a member
    who is or was confirmed."""
    _require_team_edit(by, member.team)
    if member.status not in (MemberStatus.CONFIRMED, MemberStatus.LEFT):
        raise ValidationError("该队员尚未确认 / the member is not confirmed")
    if kind not in ServiceRecord.Kind.values:
        raise ValidationError({"kind": "请选择服务类别 / choose the kind of service"})
    if day > timezone.localdate():
        raise ValidationError({"day": "日期不能晚于今天 / the day cannot be in the future"})
    activity = activity.strip()[:200]
    if not activity:
        raise ValidationError({"activity": "请填写服务内容 / say what was done"})
    record = ServiceRecord.objects.create(
        member=member,
        kind=kind,
        day=day,
        hours=hours_clean(hours),
        activity=activity,
        recorded_by=by,
    )
    audit_record(
        actor=by,
        action="create",
        target=record,
        changes={"member": member.pk, "day": str(day), "hours": str(record.hours)},
        origin=origin,
    )
    return record


@transaction.atomic
def shift_service_record(
    *, member: Member, source_id: int, day: date, hours: Decimal, activity: str, by: User | None
) -> ServiceRecord | None:
    """The service of one rostered shift, recorded once per shift assignment (the caller, the
    checkpoints' clocking, has checked who may clock). Nothing for under half an hour."""
    if hours <= 0:
        return None
    record, created = ServiceRecord.objects.get_or_create(
        member=member,
        kind=ServiceRecord.Kind.SHIFT,
        source_id=source_id,
        defaults={"day": day, "hours": hours, "activity": activity[:200], "recorded_by": by},
    )
    if created:
        audit_record(
            actor=by,
            action="create",
            target=record,
            changes={"member": member.pk, "shift": source_id, "hours": str(hours)},
        )
    return record
