"""消杀记录: recording who disinfected what, where and when, with a photo — once, however often a
phone sends it (the client id, as check-ins and scans do).

Who may log: for a building (elevator, corridor, stairwell), whoever may edit the register of its
area; for a venue (any place in it, a market's stalls too), whoever may inspect it (the register's
editors and the area's inspectors).
"""

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from wangge.accounts.models import User
from wangge.core.origin import Origin
from wangge.core.photos import CleanPhoto
from wangge.core.roles import Action
from wangge.core.services import audit_record
from wangge.regions.models import Building
from wangge.venues.models import INSPECT, DisinfectionLog, EventKind, PlaceKind, Venue
from wangge.venues.services.timeline import event_add

BUILDING_PLACES = (PlaceKind.ELEVATOR, PlaceKind.CORRIDOR, PlaceKind.STAIRWELL)
# A phone's clock may run a little ahead of the server's; a log further ahead is refused.
CLOCK_SKEW = timedelta(minutes=5)


class ClientIdConflict(ValidationError):
    """The client id already names another user's log; `error_code` is stable for clients, which
    answer it by sending the log again under a new client id."""

    error_code = "client_id_conflict"

    def __init__(self) -> None:
        super().__init__(
            {
                "client_id": [
                    "该客户端编号已用于其他记录，请重新提交 / this client_id was already used "
                    "for another log; send it again with a new one"
                ]
            },
            code=self.error_code,
        )


@dataclass(frozen=True)
class LogData:
    place: str
    agent: str
    building: Building | None = None
    venue: Venue | None = None
    location: str = ""
    done_at: datetime | None = None
    done_by_name: str = ""


def may_log(user: Any, *, building: Building | None = None, venue: Venue | None = None) -> bool:
    """Whether `user` may log a disinfection of this building or venue."""
    if building is not None:
        return Building.objects.restrict(user, Action.EDIT).filter(pk=building.pk).exists()
    if venue is not None:
        return Venue.objects.restrict(user, INSPECT).filter(pk=venue.pk).exists()
    return False


def new_client_id() -> str:
    return uuid.uuid4().hex


def _clean(data: LogData, now: datetime) -> dict[str, Any]:
    errors: dict[str, str] = {}
    if data.place not in PlaceKind.values:
        errors["place"] = f"未知消杀部位“{data.place}” / unknown place '{data.place}'"
    elif data.building is not None and data.place not in BUILDING_PLACES:
        errors["place"] = (
            "楼栋的消杀部位应为电梯、楼道或楼梯间 / a building's place is its elevator, "
            "a corridor or a stairwell"
        )
    agent = data.agent.strip()
    if not agent:
        errors["agent"] = "请填写消杀内容 / say what was done (the agent)"
    done_at = data.done_at or now
    if done_at > now + CLOCK_SKEW:
        errors["done_at"] = "消杀时间晚于现在 / the time is in the future"
    if errors:
        raise ValidationError(errors)
    return {
        "place": data.place,
        "building": data.building,
        "venue": data.venue,
        "location": data.location.strip()[:100],
        "agent": agent[:100],
        "done_at": done_at,
    }


def _stored(client_id: str, by: User) -> DisinfectionLog | None:
    """The log this client id already stored by this user (a replay); ClientIdConflict when it
    names someone else's, whose content the caller never sees."""
    stored = DisinfectionLog.objects.filter(client_id=client_id).first()
    if stored is not None and stored.done_by_id != by.pk:
        raise ClientIdConflict()
    return stored


@transaction.atomic
def log_record(
    *,
    by: User,
    data: LogData,
    client_id: str,
    photo: CleanPhoto | None = None,
    origin: Origin = Origin.SYSTEM,
) -> tuple[DisinfectionLog, bool]:
    """Record a disinfection; (log, created). The caller's right comes first, then the client id:
    the same client id by the same user is stored once (the first one is answered again); by
    another user it is refused (ClientIdConflict)."""
    client_id = (client_id or "").strip()[:64]
    if not client_id:
        raise ValidationError({"client_id": "缺少客户端编号 / client_id is required"})
    if (data.building is None) == (data.venue is None):
        raise ValidationError(
            {"building": "请选择楼栋或场所之一 / choose either a building or a venue"}
        )
    if not may_log(by, building=data.building, venue=data.venue):
        raise PermissionDenied("无权登记该处的消杀 / you may not log disinfection here")
    existing = _stored(client_id, by)
    if existing is not None:
        return existing, False
    log = DisinfectionLog(
        client_id=client_id,
        done_by=by,
        done_by_name=(data.done_by_name.strip() or by.full_name or by.username)[:50],
        **_clean(data, timezone.now()),
    )
    if photo is not None:
        log.photo.save(f"{uuid.uuid4().hex}{photo.extension}", ContentFile(photo.content), False)
    try:
        with transaction.atomic():
            log.save()
    except IntegrityError:
        existing = _stored(client_id, by)
        if existing is None:
            raise
        log.photo.delete(save=False)
        return existing, False
    audit_record(
        actor=by,
        action="create",
        target=log,
        changes={"place": log.place, "agent": log.agent, "done_at": log.done_at.isoformat()},
        origin=origin,
    )
    if log.venue is not None:
        where = f"{log.get_place_display()}{log.location}"
        event_add(
            log.venue, EventKind.DISINFECTED, by=by, text=f"{where}：{log.agent}", at=log.done_at
        )
    return log, True
