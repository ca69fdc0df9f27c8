"""三区: declaring and lifting control zones over compounds and buildings of a street; the street
command decides, with a reason, audited. Which zone a household lies in is read in
regions/zones.py."""

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from wangge.accounts.authority import holds
from wangge.core.origin import Origin
from wangge.core.roles import Action
from wangge.core.services import audit_record
from wangge.regions.choices import ZoneKind
from wangge.regions.models import Building, Compound, Street, Zone


def _areas_of_street(street: Street, compounds: list[Compound], buildings: list[Building]) -> None:
    strays = [c.name for c in compounds if c.community.street_id != street.pk] + [
        str(b) for b in buildings if b.compound.community.street_id != street.pk
    ]
    if strays:
        names = "、".join(strays)
        raise ValidationError(
            {"areas": f"{names} 不属于{street.name} / not in this street: {names}"}
        )


@transaction.atomic
def zone_declare(
    *,
    by: Any,
    street: Street,
    kind: str,
    name: str,
    reason: str,
    compounds: Iterable[Compound] = (),
    buildings: Iterable[Building] = (),
    starts_at: datetime | None = None,
    planned_end: datetime | None = None,
    origin: Origin = Origin.SYSTEM,
) -> Zone:
    """Declare a 封控区/管控区/防范区 over compounds and buildings of the street: the street
    command decides, with a reason; starts now unless `starts_at` says otherwise."""
    if not holds(by, Action.EDIT, street):
        raise PermissionDenied("只有街道指挥部可以划定管控区域 / only the street command may")
    compounds, buildings = list(compounds), list(buildings)
    errors: dict[str, str] = {}
    if kind not in ZoneKind.values:
        errors["kind"] = "未知区域类别 / unknown zone kind"
    if not (name or "").strip():
        errors["name"] = "请填写名称 / a name is required"
    if not (reason or "").strip():
        errors["reason"] = "请填写划定依据 / a reason is required"
    if not compounds and not buildings:
        errors["areas"] = "请选择小区或楼栋 / choose compounds or buildings"
    starts_at = starts_at or timezone.now()
    if planned_end is not None and planned_end <= starts_at:
        errors["planned_end"] = "计划解除时间应晚于开始时间 / the planned end must follow the start"
    if errors:
        raise ValidationError(errors)
    _areas_of_street(street, compounds, buildings)
    zone = Zone.objects.create(
        street=street,
        kind=kind,
        name=name.strip(),
        reason=reason.strip(),
        starts_at=starts_at,
        planned_end=planned_end,
        declared_by=by,
    )
    zone.compounds.set(compounds)
    zone.buildings.set(buildings)
    audit_record(
        actor=by,
        action="create",
        target=zone,
        changes={
            "kind": kind,
            "compounds": [c.pk for c in compounds],
            "buildings": [b.pk for b in buildings],
            "starts_at": starts_at.isoformat(),
            "planned_end": planned_end.isoformat() if planned_end else None,
        },
        reason=zone.reason,
        origin=origin,
    )
    return zone


@transaction.atomic
def zone_lift(*, by: Any, zone: Zone, reason: str, origin: Origin = Origin.SYSTEM) -> Zone:
    """解封: the zone stops now; its row (and so its history) stays."""
    if not holds(by, Action.EDIT, zone.street):
        raise PermissionDenied("只有街道指挥部可以解除管控区域 / only the street command may")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "请填写解除理由 / a reason is required"})
    now = timezone.now()
    lifted = Zone.objects.filter(pk=zone.pk, lifted_at__isnull=True).update(
        lifted_at=now, lifted_by=by, lift_reason=reason[:300]
    )
    if not lifted:
        raise ValidationError("该区域已解除 / this zone has been lifted already")
    zone.refresh_from_db()
    audit_record(
        actor=by,
        action="update",
        target=zone,
        changes={"lifted_at": [None, now.isoformat()]},
        reason=reason,
        origin=origin,
    )
    return zone
