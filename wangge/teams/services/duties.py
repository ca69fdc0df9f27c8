"""职责清单 and 党员先锋岗: positions, their duties and holders, and party members' service at a
party post. Who may edit: whoever edits the position's community (the street for a street-wide
position). A party post is held only by party members (a confirmed member marked 党员) or staff
users; a service record at a post is made only for a member who held the post that day."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from wangge.core.origin import Origin
from wangge.core.services import audit_record, field_changes
from wangge.regions.models import Community, Street
from wangge.teams.models import (
    Member,
    MemberStatus,
    Position,
    PositionDuty,
    PositionHolder,
    PostService,
    ServiceRecord,
)
from wangge.teams.selectors.duties import street_staff
from wangge.teams.services.common import require_area

NOT_YOURS = "您无权修改该职责清单 / you may not change this duty list"
MAX_HOURS = Decimal("24")


@dataclass(frozen=True)
class PositionData:
    name: str
    is_party_post: bool = False
    place: str = ""
    note: str = ""


def _require(by: Any, position: Position) -> None:
    require_area(by, position.street, position.community, NOT_YOURS)


def _snapshot(position: Position) -> dict[str, Any]:
    return {
        "name": position.name,
        "is_party_post": position.is_party_post,
        "place": position.place,
        "note": position.note,
    }


def _apply(position: Position, data: PositionData) -> None:
    position.name = data.name.strip()
    position.is_party_post = data.is_party_post
    position.place = data.place.strip()
    position.note = data.note.strip()
    if not position.name:
        raise ValidationError({"name": "请填写岗位名称 / the position needs a name"})
    same = Position.objects.filter(
        street=position.street, community=position.community, name=position.name
    )
    if same.exclude(pk=position.pk).exists():
        raise ValidationError(
            {"name": f"岗位“{position.name}”已存在 / position '{position.name}' exists already"}
        )


def _duty_text(text: str) -> str:
    text = text.strip()
    if not text:
        raise ValidationError({"text": "请填写职责内容 / the duty needs a text"})
    if len(text) > PositionDuty._meta.get_field("text").max_length:  # type: ignore[operator]
        raise ValidationError({"text": "职责内容过长 / the duty is too long"})
    return text


@transaction.atomic
def position_create(
    *,
    by: Any,
    street: Street,
    community: Community | None = None,
    data: PositionData,
    duties: list[str] | tuple[str, ...] = (),
    origin: Origin = Origin.SYSTEM,
) -> Position:
    """A new position at the end of its list, with its duties numbered in the given order."""
    require_area(by, street, community, NOT_YOURS)
    last = Position.objects.filter(street=street, community=community).aggregate(top=Max("order"))
    position = Position(street=street, community=community, order=(last["top"] or 0) + 1)
    _apply(position, data)
    position.save()
    PositionDuty.objects.bulk_create(
        PositionDuty(position=position, text=_duty_text(text), order=number)
        for number, text in enumerate(duties, start=1)
    )
    audit_record(
        actor=by,
        action="position.create",
        target=position,
        changes={**_snapshot(position), "duties": len(duties)},
        origin=origin,
    )
    return position


@transaction.atomic
def position_update(
    *, by: Any, position: Position, data: PositionData, origin: Origin = Origin.SYSTEM
) -> Position:
    """Change a position; making it a party post needs every current holder to be allowed on one."""
    position = Position.objects.select_for_update(of=("self",)).get(pk=position.pk)
    _require(by, position)
    before = _snapshot(position)
    _apply(position, data)
    if position.is_party_post:
        for holder in position.holders.active().select_related("member"):
            _party_post_holder(holder.member)
    changes = field_changes(before, _snapshot(position))
    if changes:
        position.save()
        audit_record(
            actor=by, action="position.update", target=position, changes=changes, origin=origin
        )
    return position


@transaction.atomic
def position_reorder(
    *,
    by: Any,
    street: Street,
    community: Community | None = None,
    ids: list[int],
    origin: Origin = Origin.SYSTEM,
) -> None:
    """Put the list's positions in the order of `ids`, which must name each of them once."""
    require_area(by, street, community, NOT_YOURS)
    positions = {
        p.pk: p
        for p in Position.objects.select_for_update(of=("self",)).filter(
            street=street, community=community
        )
    }
    if sorted(ids) != sorted(positions):
        raise ValidationError(
            "排序须包含该清单的全部岗位各一次 / the order must name every position of the list once"
        )
    for number, pk in enumerate(ids, start=1):
        positions[pk].order = number
    Position.objects.bulk_update(positions.values(), ["order"])
    audit_record(
        actor=by,
        action="position.reorder",
        target=community or street,
        changes={"order": ids},
        origin=origin,
    )


@transaction.atomic
def duty_add(
    *, by: Any, position: Position, text: str, origin: Origin = Origin.SYSTEM
) -> PositionDuty:
    """A duty at the end of the position's list."""
    _require(by, position)
    last = position.duties.aggregate(top=Max("order"))["top"] or 0
    duty = PositionDuty.objects.create(position=position, text=_duty_text(text), order=last + 1)
    audit_record(
        actor=by,
        action="position.duty_add",
        target=position,
        changes={"text": duty.text},
        origin=origin,
    )
    return duty


@transaction.atomic
def duty_edit(
    *, by: Any, duty: PositionDuty, text: str, origin: Origin = Origin.SYSTEM
) -> PositionDuty:
    _require(by, duty.position)
    before = duty.text
    duty.text = _duty_text(text)
    if duty.text != before:
        duty.save(update_fields=["text"])
        audit_record(
            actor=by,
            action="position.duty_edit",
            target=duty.position,
            changes={"text": [before, duty.text]},
            origin=origin,
        )
    return duty


@transaction.atomic
def duty_remove(*, by: Any, duty: PositionDuty, origin: Origin = Origin.SYSTEM) -> None:
    """Remove a duty; the ones after it move up a number."""
    position = duty.position
    _require(by, position)
    text = duty.text
    duty.delete()
    rest = list(position.duties.order_by("order", "id"))
    for number, row in enumerate(rest, start=1):
        row.order = number
    PositionDuty.objects.bulk_update(rest, ["order"])
    audit_record(
        actor=by,
        action="position.duty_remove",
        target=position,
        changes={"text": text},
        origin=origin,
    )


def _party_post_holder(member: Member | None) -> None:
    if member is not None and not member.party_member:
        raise ValidationError(
            f"党员先锋岗须由党员担任，“{member.name}”不是党员 / "
            f"a party post is held by party members; {member.name} is not one"
        )


def _check_holder(position: Position, user: Any, member: Member | None) -> None:
    if (user is None) == (member is None):
        raise ValidationError("请选择一名工作人员或一名队员 / choose one staff user or one member")
    if member is not None:
        if member.team.street_id != position.street_id:
            raise ValidationError("该队员不属于本街道 / the member is not of this street")
        if member.status != MemberStatus.CONFIRMED:
            raise ValidationError(
                f"队员“{member.name}”尚未确认 / member {member.name} is not confirmed"
            )
    elif not street_staff(position.street_id).filter(pk=user.pk).exists():
        raise ValidationError(
            "该工作人员在本街道无岗位角色 / the staff user holds no role in this street"
        )
    if position.is_party_post:
        _party_post_holder(member)


@transaction.atomic
def holder_assign(
    *,
    by: Any,
    position: Position,
    user: Any = None,
    member: Member | None = None,
    started: date | None = None,
    origin: Origin = Origin.SYSTEM,
) -> PositionHolder:
    """Someone takes the position (a position may have several holders at once)."""
    position = Position.objects.select_for_update(of=("self",)).get(pk=position.pk)
    _require(by, position)
    _check_holder(position, user, member)
    current = position.holders.filter(ended=None)
    if current.filter(Q(user=user) if user is not None else Q(member=member)).exists():
        raise ValidationError("此人已在该岗位 / already holds this position")
    holder = PositionHolder.objects.create(
        position=position, user=user, member=member, started=started or timezone.localdate()
    )
    audit_record(
        actor=by,
        action="position.assign",
        target=position,
        changes={"holder": holder.name, "started": str(holder.started)},
        origin=origin,
    )
    return holder


@transaction.atomic
def holder_end(
    *, by: Any, holder: PositionHolder, ended: date | None = None, origin: Origin = Origin.SYSTEM
) -> PositionHolder:
    holder = PositionHolder.objects.select_for_update(of=("self",)).get(pk=holder.pk)
    _require(by, holder.position)
    if holder.ended is not None:
        raise ValidationError("已离岗 / this holder has left already")
    ended = ended or timezone.localdate()
    if ended < holder.started:
        raise ValidationError("离岗日期早于上岗日期 / leaves before starting")
    holder.ended = ended
    holder.save(update_fields=["ended"])
    audit_record(
        actor=by,
        action="position.holder_end",
        target=holder.position,
        changes={"holder": holder.name, "ended": str(ended)},
        origin=origin,
    )
    return holder


@transaction.atomic
def post_service_record(
    *,
    by: Any,
    position: Position,
    member: Member,
    day: date,
    hours: Decimal,
    activity: str,
    origin: Origin = Origin.SYSTEM,
) -> ServiceRecord:
    """A party member's service at a party post they held that day."""
    _require(by, position)
    if not position.is_party_post:
        raise ValidationError("该岗位不是党员先锋岗 / this position is not a party post")
    held = position.holders.filter(member=member, started__lte=day).filter(
        Q(ended=None) | Q(ended__gte=day)
    )
    if not held.exists():
        raise ValidationError(
            f"“{member.name}”当日不在该岗 / {member.name} did not hold this post on {day}"
        )
    if not Decimal(0) < hours <= MAX_HOURS:
        raise ValidationError(
            {"hours": "时长应在0到24小时之间 / hours must be above 0, at most 24"}
        )
    if day > timezone.localdate():
        raise ValidationError({"day": "不能记录未来的服务 / service cannot be in the future"})
    activity = activity.strip() or position.name
    record = ServiceRecord.objects.create(
        member=member,
        kind=ServiceRecord.Kind.PARTY_POST,
        day=day,
        hours=hours,
        activity=activity[:200],
        recorded_by=by,
    )
    PostService.objects.create(position=position, record=record)
    audit_record(
        actor=by,
        action="position.service",
        target=position,
        changes={"member": member.name, "day": str(day), "hours": str(hours)},
        origin=origin,
    )
    return record
