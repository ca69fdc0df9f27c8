"""Setting up checkpoints, their own QR code (for clocking on and off), and what service points
hand out. One transaction each, audited."""

from dataclasses import asdict, dataclass
from datetime import datetime, time
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from wangge.accounts.authority import user_can
from wangge.accounts.models import User
from wangge.checkpoints import tokens
from wangge.checkpoints.duty import require_duty
from wangge.checkpoints.models import Checkpoint, Handout
from wangge.core.origin import Origin
from wangge.core.roles import Action
from wangge.core.services import audit_record, field_changes
from wangge.regions.models import Building, Community, Compound, Grid


@dataclass(frozen=True)
class CheckpointData:
    name: str
    kind: str
    community: Community
    grid: Grid | None = None
    compound: Compound | None = None
    building: Building | None = None
    address: str = ""
    opens_at: time = time(0)
    closes_at: time = time(0)
    shift_hours: int = 8
    staff_per_shift: int = 2
    passes_required: bool = False
    active: bool = True


def _snapshot(checkpoint: Checkpoint) -> dict[str, Any]:
    return {
        "name": checkpoint.name,
        "kind": checkpoint.kind,
        "community": checkpoint.community_id,
        "grid": checkpoint.grid_id,
        "compound": checkpoint.compound_id,
        "building": checkpoint.building_id,
        "address": checkpoint.address,
        "hours": f"{checkpoint.opens_at:%H:%M}-{checkpoint.closes_at:%H:%M}",
        "shift_hours": checkpoint.shift_hours,
        "staff_per_shift": checkpoint.staff_per_shift,
        "passes_required": checkpoint.passes_required,
        "active": checkpoint.active,
    }


def _apply(checkpoint: Checkpoint, data: CheckpointData) -> None:
    errors: dict[str, str] = {}
    community = data.community
    if data.grid is not None and data.grid.community_id != community.pk:
        errors["grid"] = "网格不属于该社区 / the grid lies in another community"
    if data.compound is not None and data.compound.community_id != community.pk:
        errors["compound"] = "小区不属于该社区 / the compound lies in another community"
    if data.building is not None and data.building.compound.community_id != community.pk:
        errors["building"] = "楼栋不属于该社区 / the building lies in another community"
    if errors:
        raise ValidationError(errors)
    values = asdict(data)
    values["name"] = data.name.strip()
    values["address"] = data.address.strip()
    for key, value in values.items():
        setattr(checkpoint, key, value)
    if checkpoint.grid is None and data.building is not None:
        checkpoint.grid = data.building.grid
    if checkpoint.compound is None and data.building is not None:
        checkpoint.compound = data.building.compound
    checkpoint.full_clean(exclude=["code_sealed", "code_hash", "created_by"])


@transaction.atomic
def checkpoint_create(
    *, by: User, data: CheckpointData, origin: Origin = Origin.SYSTEM
) -> Checkpoint:
    if not user_can(by, Action.EDIT, data.community):
        raise PermissionDenied("您无权在该社区设卡点 / you may not set up checkpoints here")
    token = tokens.new_token()
    checkpoint = Checkpoint(code_sealed=token.sealed, code_hash=token.hash, created_by=by)
    _apply(checkpoint, data)
    checkpoint.save()
    audit_record(
        actor=by, action="create", target=checkpoint, changes=_snapshot(checkpoint), origin=origin
    )
    return checkpoint


def _require_edit(by: User, checkpoint: Checkpoint) -> None:
    if not Checkpoint.objects.restrict(by, Action.EDIT).filter(pk=checkpoint.pk).exists():
        raise PermissionDenied("您无权修改该卡点 / you may not change this checkpoint")


@transaction.atomic
def checkpoint_update(
    *, by: User, checkpoint: Checkpoint, data: CheckpointData, origin: Origin = Origin.SYSTEM
) -> Checkpoint:
    _require_edit(by, checkpoint)
    if data.community.pk != checkpoint.community_id and not user_can(
        by, Action.EDIT, data.community
    ):
        raise PermissionDenied("您无权把卡点移到该社区 / you may not move it to that community")
    checkpoint = Checkpoint.objects.select_for_update().get(pk=checkpoint.pk)
    before = _snapshot(checkpoint)
    _apply(checkpoint, data)
    checkpoint.save()
    changes = field_changes(before, _snapshot(checkpoint))
    audit_record(actor=by, action="update", target=checkpoint, changes=changes, origin=origin)
    return checkpoint


@transaction.atomic
def checkpoint_code_renew(
    *, by: User, checkpoint: Checkpoint, origin: Origin = Origin.SYSTEM
) -> Checkpoint:
    """A new code for the poster (the old one stops clocking anyone on)."""
    _require_edit(by, checkpoint)
    token = tokens.new_token()
    Checkpoint.objects.filter(pk=checkpoint.pk).update(
        code_sealed=token.sealed, code_hash=token.hash
    )
    audit_record(
        actor=by, action="update", target=checkpoint, changes={"code": "renewed"}, origin=origin
    )
    checkpoint.refresh_from_db()
    return checkpoint


@transaction.atomic
def handout_record(
    *,
    by: User,
    checkpoint: Checkpoint,
    item: str,
    client_id: str,
    quantity: int = 1,
    at: datetime | None = None,
) -> tuple[Handout, bool]:
    """One handout at a service point, stored once per client id; (handout, created)."""
    require_duty(by, checkpoint)
    if not checkpoint.is_service_point:
        raise ValidationError("只有服务点登记发放 / only service points hand things out")
    if item not in Handout.Item.values or not 1 <= quantity <= 1000:
        raise ValidationError({"item": "物品或数量无效 / unknown item or quantity"})
    client_id = (client_id or "").strip()[:64]
    if len(client_id) < 8:
        raise ValidationError({"client_id": "缺少客户端编号 / client_id is required"})
    existing = Handout.objects.filter(client_id=client_id).first()
    if existing is not None:
        return existing, False
    handout = Handout(
        checkpoint=checkpoint,
        item=item,
        quantity=quantity,
        client_id=client_id,
        at=at or timezone.now(),
        by=by,
    )
    try:
        with transaction.atomic():
            handout.save()
    except IntegrityError:
        return Handout.objects.get(client_id=client_id), False
    return handout, True
