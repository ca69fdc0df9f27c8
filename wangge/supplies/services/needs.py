"""需求闭环: a need is made (by staff, checkpoint staff on duty, or a household through the residents'
portal), approved or rejected, picked from a place (ISSUE moves that name the need, first expiry
first out, or "bought" when it holds only wishes), given to a deliverer and handed over without
contact — the household's 6-digit code entered by the deliverer, or a photo at the door. Each step
is one transaction, audited, and sets its time and the next step's `due_at`; the sweep that alerts
late steps is in `need_alerts`.

Who may do what: approving, rejecting and picking need EDIT on the need's community (or its
street); dispatching, handing over and cancelling need EDIT on the need's own area (a household's
grid); the deliverer hands over the needs given to them; the requester cancels before picking."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from wangge.accounts.authority import holds
from wangge.checkpoints.duty import manned_checkpoint
from wangge.core.origin import Origin
from wangge.core.roles import Action
from wangge.core.services import audit_record
from wangge.supplies.models import (
    Item,
    Need,
    NeedKind,
    NeedLine,
    NeedStatus,
    Place,
    RecipientKind,
)
from wangge.supplies.selectors.needs import team_deliverers
from wangge.supplies.services import stock
from wangge.teams.models import Member

MAX_LINES = 30


@dataclass(frozen=True)
class LineInput:
    item: Item
    quantity: int


def _due(status: str, now: datetime) -> datetime | None:
    minutes = settings.WANGGE["NEED_STEP_MINUTES"].get(status)
    return now + timedelta(minutes=minutes) if minutes else None


def locked_need(need: Need, *statuses: str) -> Need:
    locked = Need.objects.select_for_update().get(pk=need.pk)
    if statuses and locked.status not in statuses:
        raise ValidationError(
            f"需求当前为“{locked.get_status_display()}”，不能进行此操作 / "
            f"the need is {locked.status}: this step does not apply"
        )
    return locked


def step_to(need: Need, status: str, now: datetime, fields: list[str]) -> None:
    need.status = status
    need.due_at = _due(status, now)
    need.save(update_fields=[*fields, "status", "due_at"])


def refuse(message: str = "您无权处理该需求 / you may not handle this need") -> None:
    raise PermissionDenied(message)


def _may_create(by: Any, need: Need) -> bool:
    if need.kind == NeedKind.CHECKPOINT:
        return holds(by, Action.EDIT, need.area) or (
            manned_checkpoint(by, need.checkpoint_id) is not None
        )
    return holds(by, Action.EDIT, need.local_area)


def _lines(kind: str, lines: Sequence[LineInput], street_id: int) -> list[LineInput]:
    if len(lines) > MAX_LINES:
        raise ValidationError({"lines": f"最多 {MAX_LINES} 项 / at most {MAX_LINES} lines"})
    seen: set[int] = set()
    for line in lines:
        if isinstance(line.quantity, bool) or not isinstance(line.quantity, int):
            raise ValidationError({"lines": "数量须为整数 / quantities are whole numbers"})
        if not 1 <= line.quantity <= 100000:
            raise ValidationError({"lines": "数量须为 1 到 100000 / quantity 1 to 100000"})
        if line.item.street_id != street_id or not line.item.active:
            raise ValidationError({"lines": f"{line.item} 不可申领 / cannot be asked for"})
        if kind == NeedKind.HOUSEHOLD and not line.item.household_orderable:
            raise ValidationError(
                {"lines": f"{line.item} 不向居民发放 / not orderable by households"}
            )
        if line.item.pk in seen:
            raise ValidationError({"lines": f"{line.item} 重复 / listed twice"})
        seen.add(line.item.pk)
    return list(lines)


@transaction.atomic
def need_create(
    *,
    by: Any,
    kind: str,
    checkpoint: Any = None,
    team: Any = None,
    household: Any = None,
    lines: Sequence[LineInput] = (),
    wishes: str = "",
    note: str = "",
    resident: Any = None,
    origin: Origin = Origin.SYSTEM,
) -> Need:
    """A need of a checkpoint, a team or a household: catalogue lines, free-text wishes, or both.
    `resident` (a residents' account, with `by` None) orders for its own household."""
    target = {NeedKind.CHECKPOINT: checkpoint, NeedKind.TEAM: team, NeedKind.HOUSEHOLD: household}
    if kind not in target or target[NeedKind(kind)] is None:
        raise ValidationError({"kind": "请指定申领的卡点、队伍或家庭 / name who needs it"})
    need = Need(kind=kind, note=note.strip()[:300], wishes=wishes.strip()[:1000])
    if kind == NeedKind.CHECKPOINT:
        need.checkpoint, need.community = checkpoint, checkpoint.community
        need.street_id = checkpoint.community.street_id
    elif kind == NeedKind.TEAM:
        need.team, need.community, need.street_id = team, team.community, team.street_id
    else:
        need.household, need.grid = household, household.grid
        need.community = household.grid.community
        need.street_id = need.community.street_id
    if resident is not None and by is None:
        if kind != NeedKind.HOUSEHOLD or resident.household_id != household.pk:
            refuse("只能为本户申领 / order for your own household only")
        need.requested_label = resident.label[:60]
    elif not _may_create(by, need):
        refuse("您无权为其申领物资 / you may not ask for supplies for them")
    else:
        need.requested_by = by
        need.requested_label = (by.full_name or by.username)[:60]
    checked = _lines(kind, lines, need.street_id)
    if not checked and not need.wishes:
        raise ValidationError({"lines": "请至少填写一项物资或代购清单 / list at least one thing"})
    now = timezone.now()
    need.created_at, need.due_at = now, _due(NeedStatus.SUBMITTED, now)
    need.save()
    NeedLine.objects.bulk_create(
        [NeedLine(need=need, item=line.item, quantity=line.quantity) for line in checked]
    )
    audit_record(
        actor=by,
        actor_label=need.requested_label if by is None else "",
        action="need.create",
        target=need,
        changes={"lines": {str(line.item.pk): line.quantity for line in checked}},
        origin=origin,
    )
    return need


@transaction.atomic
def need_approve(
    *, by: Any, need: Need, place: Place | None = None, origin: Origin = Origin.SYSTEM
) -> Need:
    """Approve a submitted need; `place` names where it will be picked (its keeper is told)."""
    if not holds(by, Action.EDIT, need.area):
        refuse()
    need = locked_need(need, NeedStatus.SUBMITTED)
    if place is not None and place.street_id != need.street_id:
        raise ValidationError({"place": "库点不属于本街道 / the place is of another street"})
    now = timezone.now()
    need.approved_at, need.approved_by, need.place = now, by, place or need.place
    step_to(need, NeedStatus.APPROVED, now, ["approved_at", "approved_by", "place"])
    audit_record(actor=by, action="need.approve", target=need, origin=origin)
    return need


@transaction.atomic
def need_reject(*, by: Any, need: Need, reason: str, origin: Origin = Origin.SYSTEM) -> Need:
    if not holds(by, Action.EDIT, need.area):
        refuse()
    if not reason.strip():
        raise ValidationError({"reason": "请说明不批准的原因 / say why"})
    need = locked_need(need, NeedStatus.SUBMITTED)
    now = timezone.now()
    need.approved_at, need.approved_by = now, by
    need.closed_at, need.close_reason = now, reason.strip()[:200]
    step_to(
        need, NeedStatus.REJECTED, now, ["approved_at", "approved_by", "closed_at", "close_reason"]
    )
    audit_record(actor=by, action="need.reject", target=need, reason=reason, origin=origin)
    return need


def recipient_of(need: Need) -> stock.Recipient:
    return stock.Recipient(
        RecipientKind(need.kind),
        checkpoint=need.checkpoint,
        team=need.team,
        household=need.household,
    )


@transaction.atomic
def need_pick(
    *,
    by: Any,
    need: Need,
    place: Place | None = None,
    note: str = "",
    origin: Origin = Origin.SYSTEM,
) -> Need:
    """Issue every line from `place` (the approved place by default), first expiry first out;
    a line short of stock refuses the whole pick and nothing changes. A need of wishes only is
    marked bought, with `note` saying what was bought."""
    need = locked_need(need, NeedStatus.APPROVED)
    lines = list(need.lines.select_related("item"))
    place = place or need.place
    now = timezone.now()
    if lines:
        if place is None:
            raise ValidationError({"place": "请选择出库库点 / pick a place"})
        if place.street_id != need.street_id:
            raise ValidationError({"place": "库点不属于本街道 / the place is of another street"})
        recipient = recipient_of(need)
        for line in lines:
            stock.issue(
                by=by,
                place=place,
                item=line.item,
                quantity=line.quantity,
                recipient=recipient,
                need=need,
                at=now,
                note=f"需求 #{need.pk}",
                origin=origin,
            )
            line.picked = line.quantity
        NeedLine.objects.bulk_update(lines, ["picked"])
    elif not holds(by, Action.EDIT, need.local_area):
        refuse()
    if need.wishes and not note.strip():
        raise ValidationError({"note": "请注明代购情况 / say what was bought"})
    need.place, need.picked_at, need.picked_by = place, now, by
    if note.strip():
        need.note = f"{need.note}\n{note.strip()}".strip()[:300]
    step_to(need, NeedStatus.PICKED, now, ["place", "picked_at", "picked_by", "note"])
    audit_record(actor=by, action="need.pick", target=need, reason=note.strip(), origin=origin)
    return need


def may_deliver(user: Any, need: Need) -> bool:
    """A staff user who may deliver the need: they hold its local area (a grid worker of the
    household's grid, a community worker, a commander)."""
    return user is not None and holds(user, Action.VIEW, need.local_area)


@transaction.atomic
def need_dispatch(
    *,
    by: Any,
    need: Need,
    member: Member | None = None,
    user: Any = None,
    origin: Origin = Origin.SYSTEM,
) -> Need:
    """Give a picked need to one deliverer: a confirmed member of a team of the area, or a staff
    user of the need's area. Giving it again (still on its way) changes the deliverer."""
    if not holds(by, Action.EDIT, need.local_area):
        refuse()
    need = locked_need(need, NeedStatus.PICKED, NeedStatus.DELIVERING)
    if (member is None) == (user is None):
        raise ValidationError({"deliverer": "请指定一位配送人 / name one deliverer"})
    if member is not None and not team_deliverers(need).filter(pk=member.pk).exists():
        raise ValidationError({"deliverer": "该队员不在本区域队伍中 / not a member here"})
    if user is not None and not may_deliver(user, need):
        raise ValidationError({"deliverer": "该人员不在本区域 / not staff of this area"})
    now = timezone.now()
    need.deliverer_member, need.deliverer_user, need.dispatched_at = member, user, now
    step_to(
        need, NeedStatus.DELIVERING, now, ["deliverer_member", "deliverer_user", "dispatched_at"]
    )
    audit_record(
        actor=by,
        action="need.dispatch",
        target=need,
        changes={"deliverer": str(member or user)},
        origin=origin,
    )
    return need


@transaction.atomic
def need_cancel(
    *,
    by: Any,
    need: Need,
    reason: str = "",
    resident: Any = None,
    origin: Origin = Origin.SYSTEM,
) -> Need:
    """The requester cancels before picking (a resident: a need of its household); staff of the
    need's area cancel it while open. Stock already issued stays issued: reverse its moves."""
    if resident is not None and by is None:
        if resident.household_id is None or resident.household_id != need.household_id:
            refuse()
        staff = False
    else:
        staff = holds(by, Action.EDIT, need.local_area)
        if not staff and need.requested_by_id != by.pk:
            refuse()
    allowed = [NeedStatus.SUBMITTED, NeedStatus.APPROVED]
    if staff:
        allowed += [NeedStatus.PICKED, NeedStatus.DELIVERING]
    need = locked_need(need, *allowed)
    now = timezone.now()
    need.closed_at, need.close_reason = now, reason.strip()[:200]
    step_to(need, NeedStatus.CANCELLED, now, ["closed_at", "close_reason"])
    audit_record(
        actor=by,
        actor_label=resident.label if by is None and resident is not None else "",
        action="need.cancel",
        target=need,
        reason=reason,
        origin=origin,
    )
    return need
