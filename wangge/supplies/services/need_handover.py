"""The hand-over of a need, without contact: the deliverer enters the recipient's 6-digit code
(a wrong code is audited as `need.bad_code`; after MAX_CODE_TRIES wrong codes since dispatch only
a photo will do), or leaves it at the door and uploads a photo, cleaned of its metadata. Either
closes the need. The deliverer, or staff of the need's own area, hand over."""

from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from wangge.accounts.authority import holds
from wangge.core.models import AuditEntry
from wangge.core.origin import Origin
from wangge.core.photos import photo_clean
from wangge.core.roles import Action
from wangge.core.services import audit_record
from wangge.supplies.models import Handover, Need, NeedStatus
from wangge.supplies.services.needs import (
    locked_need,
    refuse,
    step_to,
)

MAX_CODE_TRIES = 5
BAD_CODE = "need.bad_code"


def code_tries(need: Need) -> int:
    """Wrong codes entered since the need was given to its deliverer."""
    rows = AuditEntry.objects.filter(action=BAD_CODE, target_id=str(need.pk))
    if need.dispatched_at:
        rows = rows.filter(at__gte=need.dispatched_at)
    return rows.filter(target_type=Need._meta.label_lower).count()


def _may_hand_over(by: Any, need: Need) -> bool:
    deliverer = need.deliverer
    return (deliverer is not None and deliverer.pk == by.pk) or holds(
        by, Action.EDIT, need.local_area
    )


def _deliver(need: Need, how: str, now: datetime, *fields: str) -> None:
    need.handover, need.delivered_at, need.closed_at = how, now, now
    step_to(need, NeedStatus.DELIVERED, now, ["handover", "delivered_at", "closed_at", *fields])


def need_handover_code(*, by: Any, need: Need, code: str, origin: Origin = Origin.SYSTEM) -> Need:
    """The deliverer enters the recipient's code. A wrong code is recorded (and refused); after
    MAX_CODE_TRIES wrong codes only a photo hands the need over."""
    with transaction.atomic():
        need = locked_need(need, NeedStatus.DELIVERING)
        if not _may_hand_over(by, need):
            refuse()
        if code_tries(need) >= MAX_CODE_TRIES:
            raise ValidationError(
                {
                    "code": "交接码错误次数过多，请拍照交接 / too many wrong codes: hand over by photo"
                }
            )
        right = code.strip() == need.handover_code
        if right:
            _deliver(need, Handover.CODE, timezone.now())
            audit_record(actor=by, action="need.handover", target=need, origin=origin)
            return need
        audit_record(actor=by, action=BAD_CODE, target=need, origin=origin)
        left = MAX_CODE_TRIES - code_tries(need)
    raise ValidationError(
        {"code": f"交接码不正确，还可尝试 {left} 次 / wrong code, {left} tries left"}
    )


@transaction.atomic
def need_handover_photo(
    *, by: Any, need: Need, photo: UploadedFile, origin: Origin = Origin.SYSTEM
) -> Need:
    """Left at the door: the deliverer's photo (cleaned of its metadata) closes the need."""
    need = locked_need(need, NeedStatus.DELIVERING)
    if not _may_hand_over(by, need):
        refuse()
    clean = photo_clean(photo)
    need.handover_photo.save(
        f"need-{need.pk}{clean.extension}", ContentFile(clean.content), save=False
    )
    _deliver(need, Handover.PHOTO, timezone.now(), "handover_photo")
    audit_record(actor=by, action="need.handover", target=need, reason="photo", origin=origin)
    return need
