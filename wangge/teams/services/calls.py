"""召集令 and 招募令: make a call with its posts, send it, take the answers, close it.

Who is asked: the CONFIRMED members of the chosen teams (or teams of the chosen kinds) in the
call's area — a community's teams for a community's call, the street's for a street-wide one —
who have the call's skill when it names one; a phone met in two teams is asked once. Sending is
idempotent: a member already asked is not asked again, so a second send reaches only the members
confirmed since. The ask goes through notify: one SMS message to a phone list of the new
invitees, whose {链接} notify renders per recipient (`call_links.invite_link`); members who are
staff users get the link in their bell instead. An answer (by the personal link) may change until
the deadline; after it, or once the call is closed, it is refused with a message saying so.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from wangge.accounts.authority import holds, user_can
from wangge.accounts.models import User
from wangge.core.models import AuditEntry
from wangge.core.origin import Origin
from wangge.core.roles import Action
from wangge.core.services import audit_record, post_alert
from wangge.notify.audience import audience_parse
from wangge.notify.models import Channel, Message, MessageKind, SavedList, SavedListEntry
from wangge.notify.places import AudienceError
from wangge.notify.services import NotifyError, message_create, message_send
from wangge.regions.models import Community, Street
from wangge.teams.call_links import answer_path, invite_token, token_hash
from wangge.teams.models import (
    Answer,
    AnswerChannel,
    Call,
    CallInvite,
    CallKind,
    CallPost,
    CallStatus,
    Member,
    Skill,
    Team,
    TeamKind,
)
from wangge.teams.services.call_posts import records_for_ended_posts

CLOSED = "该召集已结束，感谢您的关注 / this call is closed, thank you"
PAST_DEADLINE = (
    "已过响应截止时间，如需参加请联系社区 / the deadline has passed; please call the community"
)
TOO_LATE_TO_SEND = "已过响应截止时间，不能再发出 / the deadline has passed: the call cannot be sent"
NO_SUCH_LINK = "链接无效或已失效 / this link is not valid"


@dataclass(frozen=True)
class PostInput:
    name: str
    place: str
    starts_at: datetime
    ends_at: datetime
    needed: int
    skill: str = ""


@dataclass(frozen=True)
class CallInput:
    kind: str
    title: str
    text: str
    deadline: datetime
    posts: Sequence[PostInput]
    street: Street
    community: Community | None = None
    teams: Sequence[Team] = ()
    team_kinds: Sequence[str] = ()
    skill: str = ""


@dataclass(frozen=True)
class SendResult:
    asked: int  # invites made by this send
    sms: int
    inapp: int
    unreachable: int  # asked, but no phone and no account


def _post_errors(number: int, post: PostInput) -> list[str]:
    label = f"岗位{number}“{post.name.strip()}”"
    errors = []
    if not post.name.strip() or not post.place.strip():
        errors.append(f"{label}：请填写岗位和地点 / post {number}: name and place are required")
    if post.ends_at <= post.starts_at:
        errors.append(f"{label}：结束时间须晚于开始 / post {number} must end after it starts")
    if post.needed < 1:
        errors.append(f"{label}：需要人数至少为1 / post {number} needs at least one person")
    if post.skill and post.skill not in Skill.values:
        errors.append(f"{label}：技能无效 / post {number}: unknown skill")
    return errors


def _checked(data: CallInput, now: datetime) -> None:
    errors: dict[str, list[str]] = {}
    if data.kind not in CallKind.values:
        errors["kind"] = ["类别应为召集令或招募令 / kind must be muster or recruit"]
    if not data.title.strip() or len(data.title.strip()) > 80:
        errors["title"] = ["请填写标题（80字以内） / a title of at most 80 characters"]
    if not data.text.strip() or len(data.text.strip()) > 1000:
        errors["text"] = ["请填写召集内容（1000字以内） / a text of at most 1000 characters"]
    if data.deadline <= now:
        errors["deadline"] = ["响应截止须晚于现在 / the deadline must lie in the future"]
    if data.skill and data.skill not in Skill.values:
        errors["skill"] = ["技能无效 / unknown skill"]
    if not data.teams and not data.team_kinds:
        errors["teams"] = ["请选择队伍或队伍类别 / choose teams or team kinds"]
    if any(kind not in TeamKind.values for kind in data.team_kinds):
        errors["team_kinds"] = ["队伍类别无效 / unknown team kind"]
    if data.community is not None and data.community.street_id != data.street.pk:
        errors["community"] = ["社区不属于该街道 / the community is not in the street"]
    outside = [team.name for team in data.teams if not _team_in_area(team, data)]
    if outside:
        errors["teams"] = [
            f"队伍不在召集范围内：{'、'.join(outside)} / teams outside the call's area"
        ]
    if not data.posts:
        errors["posts"] = ["至少设一个岗位 / at least one post"]
    post_errors = [e for n, post in enumerate(data.posts, 1) for e in _post_errors(n, post)]
    if post_errors:
        errors["posts"] = post_errors
    if errors:
        raise ValidationError(errors)


def _team_in_area(team: Team, data: CallInput) -> bool:
    if team.street_id != data.street.pk:
        return False
    return data.community is None or team.community_id == data.community.pk


@transaction.atomic
def call_create(
    *, by: User, data: CallInput, origin: Origin = Origin.SYSTEM, now: datetime | None = None
) -> Call:
    """A call with its posts, in an area whose register `by` may edit; not sent yet."""
    now = now or timezone.now()
    area = data.community or data.street
    if not holds(by, Action.EDIT, area):
        raise PermissionDenied("您无权在该范围发出召集 / you may not call in this area")
    _checked(data, now)
    call = Call.objects.create(
        kind=data.kind,
        title=data.title.strip(),
        text=data.text.strip(),
        street=data.street,
        community=data.community,
        team_kinds=list(dict.fromkeys(data.team_kinds)),
        skill=data.skill,
        deadline=data.deadline,
        created_by=by,
    )
    call.teams.set(data.teams)
    CallPost.objects.bulk_create(
        [
            CallPost(
                call=call,
                name=post.name.strip(),
                place=post.place.strip(),
                starts_at=post.starts_at,
                ends_at=post.ends_at,
                needed=post.needed,
                skill=post.skill,
            )
            for post in data.posts
        ]
    )
    audit_record(
        actor=by,
        action=AuditEntry.Action.CREATE,
        target=call,
        changes={"posts": len(data.posts), "area": str(area), "skill": data.skill},
        origin=origin,
    )
    return call


def call_members(call: Call) -> list[Member]:
    """The members the call asks: confirmed, of the chosen teams in its area, with its skill;
    one member per phone."""
    teams = Team.objects.filter(street_id=call.street_id)
    if call.community_id:
        teams = teams.filter(community_id=call.community_id)
    teams = teams.filter(Q(pk__in=call.teams.values("pk")) | Q(kind__in=call.team_kinds))
    members: QuerySet[Member] = Member.objects.confirmed().filter(team__in=teams)
    chosen, phones = [], set()
    for member in members.order_by("id"):
        if call.skill and call.skill not in member.skills:
            continue
        if member.phone_hash and member.phone_hash in phones:
            continue
        phones.add(member.phone_hash)
        chosen.append(member)
    return chosen


def _sms_text(call: Call) -> str:
    # Braces are notify's placeholders: the call's own words carry none.
    words = f"{call.title}：{call.text}".translate(str.maketrans("{}｛｝", "()（）"))
    deadline = timezone.localtime(call.deadline)
    return (
        f"【{call.get_kind_display()}】{words} 请于{deadline.month}月{deadline.day}日"
        f"{deadline:%H:%M}前回复：{{链接}}"
    )


def _sms_list(call: Call, by: User, invites: list[CallInvite]) -> SavedList:
    saved = SavedList.objects.create(
        street_id=call.street_id,
        community_id=call.community_id,
        name=f"{call.get_kind_display()}：{call.title}"[:80],
        owner=by,
    )
    SavedListEntry.objects.bulk_create(
        [
            SavedListEntry(
                saved_list=saved,
                label=invite.member.name[:50],
                phone_sealed=invite.member.phone_sealed,
                phone_hash=invite.member.phone_hash,
                phone_masked=invite.member.phone_masked,
            )
            for invite in invites
        ]
    )
    return saved


@transaction.atomic
def call_send(
    *, by: User, call: Call, origin: Origin = Origin.SYSTEM, now: datetime | None = None
) -> SendResult:
    """Ask the call's members who were not asked yet: SMS with their answer link through
    notify, or an alert in the bell for staff users."""
    now = now or timezone.now()
    call = Call.objects.select_for_update().get(pk=call.pk)
    if not user_can(by, Action.EDIT, call):
        raise PermissionDenied("您无权发出该召集 / you may not send this call")
    if call.status == CallStatus.CLOSED or call.deadline <= now:
        raise ValidationError(CLOSED if call.status == CallStatus.CLOSED else TOO_LATE_TO_SEND)
    asked = set(call.invites.values_list("member_id", flat=True))
    fresh = [member for member in call_members(call) if member.pk not in asked]
    invites = CallInvite.objects.bulk_create(
        [
            CallInvite(
                call=call,
                member=member,
                asked_at=now,
                token_hash=token_hash(invite_token(call.pk, member.pk)),
            )
            for member in fresh
        ]
    )
    staff = [invite for invite in invites if invite.member.user_id]
    by_sms = [
        invite for invite in invites if not invite.member.user_id and invite.member.phone_hash
    ]
    for invite in staff:
        post_alert(
            [invite.member.user],
            "team_call",
            f"{call.get_kind_display()}：{call.title}",
            link=answer_path(invite_token(call.pk, invite.member_id)),
        )
    if by_sms:
        message = _send_sms(call, by, origin, by_sms)
        CallInvite.objects.filter(pk__in=[invite.pk for invite in by_sms]).update(message=message)
        call.message = call.message or message
    call.sent_at = call.sent_at or now
    call.save(update_fields=["message", "sent_at"])
    result = SendResult(
        asked=len(invites),
        sms=len(by_sms),
        inapp=len(staff),
        unreachable=len(invites) - len(by_sms) - len(staff),
    )
    audit_record(
        actor=by,
        action=AuditEntry.Action.UPDATE,
        target=call,
        changes={"asked": result.asked, "sms": result.sms, "inapp": result.inapp},
        reason="发出召集 / call sent",
        origin=origin,
    )
    return result


def _send_sms(call: Call, by: User, origin: Origin, invites: list[CallInvite]) -> Message:
    saved = _sms_list(call, by, invites)
    try:
        audience = audience_parse("phones", str(saved.pk), by=by, street=call.street.name)
        message = message_create(
            by=by,
            origin=origin,
            audience=audience,
            channels=[Channel.SMS],
            text=_sms_text(call),
            kind=MessageKind.NOTICE,
            title=call.title,
        )
        return message_send(message, by=by, origin=origin)
    except (AudienceError, NotifyError) as error:
        raise ValidationError(f"短信未能发出：{error} / the SMS could not be sent") from error


def invite_by_token(token: str) -> CallInvite | None:
    if not token or len(token) > 64:
        return None
    return (
        CallInvite.objects.filter(token_hash=token_hash(token))
        .select_related("call", "member", "post")
        .first()
    )


def answer_refusal(invite: CallInvite, now: datetime) -> str:
    """Why the invite cannot be answered now ("" when it can)."""
    if invite.call.status == CallStatus.CLOSED:
        return CLOSED
    if invite.call.deadline <= now:
        return PAST_DEADLINE
    return ""


@transaction.atomic
def call_answer(
    *,
    token: str,
    answer: str,
    channel: str = AnswerChannel.LINK,
    origin: Origin = Origin.SYSTEM,
    now: datetime | None = None,
) -> CallInvite:
    """The member's answer by their link: accept or decline, again as often as they like until
    the deadline (the same answer again changes nothing). Declining gives up an assigned post."""
    now = now or timezone.now()
    if answer not in (Answer.ACCEPTED, Answer.DECLINED):
        raise ValidationError({"answer": ["回复应为接受或婉拒 / answer accepted or declined"]})
    found = invite_by_token(token)
    if found is None:
        raise ValidationError(NO_SUCH_LINK)
    invite = (
        CallInvite.objects.select_for_update().select_related("call", "member").get(pk=found.pk)
    )
    refusal = answer_refusal(invite, now)
    if refusal:
        raise ValidationError(refusal)
    if invite.answer == answer:
        return invite
    before, post = invite.answer, invite.post_id
    invite.answer, invite.answered_at, invite.channel = answer, now, channel
    if answer == Answer.DECLINED:
        invite.post, invite.assigned_at = None, None
    invite.save(update_fields=["answer", "answered_at", "channel", "post", "assigned_at"])
    audit_record(
        actor=None,
        actor_label=f"队员 {invite.member.phone_masked or invite.member.name}",
        action=AuditEntry.Action.UPDATE,
        target=invite,
        changes={
            "answer": [before, answer],
            **({"post": [post, None]} if post and not invite.post_id else {}),
        },
        origin=origin,
    )
    return invite


@transaction.atomic
def call_close(
    *, by: User, call: Call, origin: Origin = Origin.SYSTEM, now: datetime | None = None
) -> Call:
    """Close the call: no more answers or assignments; the posts that have ended are recorded
    as service (the rest when they end, by the periodic sweep)."""
    now = now or timezone.now()
    call = Call.objects.select_for_update().get(pk=call.pk)
    if not user_can(by, Action.EDIT, call):
        raise PermissionDenied("您无权结束该召集 / you may not close this call")
    if call.status == CallStatus.CLOSED:
        return call
    call.status, call.closed_at = CallStatus.CLOSED, now
    call.save(update_fields=["status", "closed_at"])
    audit_record(
        actor=by,
        action=AuditEntry.Action.UPDATE,
        target=call,
        changes={"status": [CallStatus.OPEN, CallStatus.CLOSED]},
        origin=origin,
    )
    records_for_ended_posts(now=now, calls=[call.pk])
    return call
