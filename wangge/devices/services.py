"""Registering a device in a household (its token shown once) and taking it out of service."""

import secrets
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from wangge.accounts.models import User
from wangge.core.origin import Origin
from wangge.core.roles import Action
from wangge.core.services import audit_record
from wangge.devices.models import Device
from wangge.measures.models import PersonMeasure
from wangge.regions.models import Household

TOKEN_PREFIX = "wgd_"


@dataclass(frozen=True)
class DeviceData:
    """The household is the one the measure's person lives in."""

    measure: PersonMeasure
    kind: str
    vendor: str
    serial: str


def _check(data: DeviceData) -> dict[str, str]:
    problems = {}
    if data.kind not in Device.Kind.values:
        problems["kind"] = "请选择门磁或摄像头 / choose door sensor or camera"
    if not data.vendor.strip():
        problems["vendor"] = "请填写厂商 / the vendor is required"
    serial = data.serial.strip()
    if not serial or any(not (c.isascii() and (c.isalnum() or c in "-_")) for c in serial):
        problems["serial"] = (
            "序列号只能含字母、数字、-和_ / the serial may hold only letters, digits, - and _"
        )
    elif Device.objects.filter(serial=serial).exists():
        problems["serial"] = f"序列号{serial}已登记 / serial {serial} is already registered"
    if data.measure.person.household_id is None:
        problems["measure"] = "该措施的人员无住户 / the person of this measure has no household"
    elif not PersonMeasure.objects.active().filter(pk=data.measure.pk).exists():
        problems["measure"] = "该措施未在执行中 / this measure is not in force"
    return problems


@transaction.atomic
def device_register(
    *, by: User, data: DeviceData, origin: Origin = Origin.SYSTEM
) -> tuple[Device, str]:
    """Register a door sensor or camera; the raw token is returned here once and stored nowhere."""
    household_id = data.measure.person.household_id
    if household_id is None or not (
        Household.objects.restrict(by, Action.EDIT).filter(pk=household_id).exists()
    ):
        raise PermissionDenied("您无权为该住户登记设备 / you may not register devices here")
    problems = _check(data)
    if problems:
        raise ValidationError(problems)
    raw = TOKEN_PREFIX + secrets.token_urlsafe(24)
    device = Device.objects.create(
        household_id=household_id,
        measure=data.measure,
        kind=data.kind,
        vendor=data.vendor.strip()[:60],
        serial=data.serial.strip(),
        token_prefix=raw[:8],
        token_digest=Device.digest_of(raw),
        registered_by=by,
    )
    audit_record(
        actor=by,
        action="create",
        target=device,
        changes={"household": household_id, "measure": data.measure.pk, "kind": data.kind},
        origin=origin,
    )
    return device, raw


@transaction.atomic
def device_revoke(*, by: User, device: Device, origin: Origin = Origin.SYSTEM) -> Device:
    """Take a device out of service: its token stops working at once; its history stays."""
    if not Device.objects.restrict(by, Action.EDIT).filter(pk=device.pk).exists():
        raise PermissionDenied("您无权停用该设备 / you may not revoke this device")
    if device.revoked_at is not None:
        return device
    device.revoked_at = timezone.now()
    device.revoked_by = by
    device.save(update_fields=["revoked_at", "revoked_by"])
    audit_record(actor=by, action="update", target=device, changes={"revoked": True}, origin=origin)
    return device
