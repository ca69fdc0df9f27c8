"""门禁: setting up a gate's access controllers, testing one from its page, and opening the doors
for a resident's code that the checkpoint lets pass.

`scan_doors_open` runs after the scan's transaction has committed (`scan_record` calls it), so a
dead controller never loses or holds up the scan: every enabled controller of the checkpoint that
opens in the scan's direction is asked at once, within DOOR_TIMEOUT_SECONDS, and each answer is
stored with the scan (`DoorOpening`). Only a scan of a personal code (WGP:) with the verdict
放行 opens; a refused or checked scan, a pass card, a typed ID number, and a scan that reaches the
server more than DOOR_OPEN_MAX_AGE_SECONDS after it was made (an offline queue: the resident is no
longer at the gate) never call a controller. A scan sent again is answered with the openings
stored the first time: the unique (scan, controller) pair makes a second opening impossible.
"""

import re
from dataclasses import asdict, dataclass
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from wangge.accounts.models import User
from wangge.checkpoints.config import config
from wangge.checkpoints.doors.adapters import open_each
from wangge.checkpoints.doors.base import Target
from wangge.checkpoints.models import Checkpoint, DoorController, DoorOpening, Scan
from wangge.checkpoints.rules import Verdict
from wangge.core import process_cache
from wangge.core.origin import Origin
from wangge.core.roles import Action
from wangge.core.services import audit_record, field_changes

_TOPIC = re.compile(r"^[^\s#+]+$")
# checkpoint id → its enabled controllers, shared by this process's requests (read only).
_enabled: process_cache.ProcessCache[list[DoorController]] = process_cache.ProcessCache("doors")


@dataclass(frozen=True)
class DoorData:
    kind: str
    name: str
    address: str
    door_no: int = 1
    directions: str = ""
    username: str = ""
    # Blank on an update keeps the stored password.
    password: str = ""
    enabled: bool = True


def _require_edit(by: User, checkpoint: Checkpoint) -> None:
    if not Checkpoint.objects.restrict(by, Action.EDIT).filter(pk=checkpoint.pk).exists():
        raise PermissionDenied("您无权修改该卡点的门禁 / you may not change this gate's doors")


def _address_problem(kind: str, address: str) -> str:
    if kind == DoorController.Kind.HIKVISION:
        parts = urlsplit(address)
        if (
            parts.scheme not in ("http", "https")
            or not parts.hostname
            or parts.path not in ("", "/")
        ):
            return "请填写设备地址，如 http://192.168.1.20 / give the device's address"
        return ""
    if not _TOPIC.match(address) or address.endswith("/set"):
        return "请填写继电器主题，如 zigbee2mqtt/南门门禁 / give the relay's MQTT topic"
    return ""


def _apply(controller: DoorController, data: DoorData) -> None:
    values = asdict(data)
    password = values.pop("password")
    values["name"] = data.name.strip()
    values["address"] = data.address.strip()
    values["username"] = data.username.strip()
    for key, value in values.items():
        setattr(controller, key, value)
    if password:
        controller.set_password(password)
    problem = _address_problem(controller.kind, controller.address)
    if problem:
        raise ValidationError({"address": problem})
    controller.full_clean(exclude=["checkpoint", "password_sealed"])


def _snapshot(controller: DoorController) -> dict[str, Any]:
    """What the audit keeps; never the password, only whether one is set."""
    return {
        "kind": controller.kind,
        "name": controller.name,
        "address": controller.address,
        "door_no": controller.door_no,
        "directions": controller.directions,
        "username": controller.username,
        "password_set": bool(controller.password_sealed),
        "enabled": controller.enabled,
    }


def _saved(controller: DoorController) -> DoorController:
    try:
        with transaction.atomic():
            controller.save()
    except IntegrityError as error:
        raise ValidationError(
            {"name": "该卡点已有同名门禁 / this gate has a door of that name"}
        ) from error
    return controller


@transaction.atomic
def door_controller_create(
    *, by: User, checkpoint: Checkpoint, data: DoorData, origin: Origin = Origin.SYSTEM
) -> DoorController:
    _require_edit(by, checkpoint)
    controller = DoorController(checkpoint=checkpoint)
    _apply(controller, data)
    _saved(controller)
    audit_record(
        actor=by, action="create", target=controller, changes=_snapshot(controller), origin=origin
    )
    return controller


@transaction.atomic
def door_controller_update(
    *, by: User, controller: DoorController, data: DoorData, origin: Origin = Origin.SYSTEM
) -> DoorController:
    _require_edit(by, controller.checkpoint)
    controller = DoorController.objects.select_for_update().get(pk=controller.pk)
    before = _snapshot(controller)
    _apply(controller, data)
    _saved(controller)
    changes = field_changes(before, _snapshot(controller))
    if data.password:
        changes["password"] = "changed"
    audit_record(actor=by, action="update", target=controller, changes=changes, origin=origin)
    return controller


def _target(controller: DoorController) -> Target:
    return Target(
        kind=controller.kind,
        address=controller.address,
        door_no=controller.door_no,
        username=controller.username,
        password=controller.password,
    )


def _ask(
    controllers: list[DoorController], scan: Scan | None, by: User | None
) -> list[DoorOpening]:
    """Ask every controller at once, outside any transaction; the unsaved openings."""
    at = timezone.now()
    answers = open_each([_target(c) for c in controllers], float(config()["DOOR_TIMEOUT_SECONDS"]))
    return [
        DoorOpening(
            scan=scan,
            controller=controller,
            outcome=answer.outcome,
            detail=answer.detail,
            at=at,
            duration_ms=duration,
            by=by if getattr(by, "pk", None) else None,
        )
        for controller, (answer, duration) in zip(controllers, answers, strict=True)
    ]


def door_test_open(
    *, by: User, controller: DoorController, origin: Origin = Origin.SYSTEM
) -> DoorOpening:
    """开门测试 from the controller's page: open it once, store and audit what it answered. The
    controller is asked before the transaction opens, so a dead one holds no lock."""
    _require_edit(by, controller.checkpoint)
    (opening,) = _ask([controller], None, by)
    with transaction.atomic():
        opening.save()
        audit_record(
            actor=by,
            action="door_test",
            target=controller,
            changes={"outcome": opening.outcome, "duration_ms": opening.duration_ms},
            origin=origin,
        )
    return opening


def opens_doors(scan: Scan) -> bool:
    """A resident's own code, let through, sent while they are still at the gate."""
    if scan.verdict != Verdict.PASS or scan.method != Scan.Method.CODE or scan.person_id is None:
        return False
    age = timezone.now() - scan.scanned_at
    return age <= timedelta(seconds=config()["DOOR_OPEN_MAX_AGE_SECONDS"])


def door_openings_of(scan: Scan) -> list[DoorOpening]:
    return list(scan.door_openings.select_related("controller").order_by("controller__name"))


def scan_doors_open(scan: Scan) -> list[DoorOpening]:
    """Open the gate for a scan just stored (after its transaction committed); what each door
    answered. Nothing is asked of any controller unless `opens_doors(scan)`."""
    if not opens_doors(scan):
        return []
    enabled = _enabled.get(
        scan.checkpoint_id,
        process_cache.generation(scan.by),
        lambda: list(DoorController.objects.filter(checkpoint_id=scan.checkpoint_id, enabled=True)),
    )
    controllers = [controller for controller in enabled if controller.opens_for(scan.direction)]
    if not controllers:
        return []
    openings = _ask(controllers, scan, scan.by)
    try:
        with transaction.atomic():
            DoorOpening.objects.bulk_create(openings)
    except IntegrityError:
        return door_openings_of(scan)
    return openings
