"""巡查检查: recording an inspection made on a phone — once, however often the phone sends it — with
its items, photos and a second inspector, then the card rules (services/cards.py) applied to it."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from wangge.accounts.models import User
from wangge.core.origin import Origin
from wangge.core.photos import CleanPhoto, photo_clean
from wangge.core.services import audit_record
from wangge.venues.models import (
    INSPECT,
    ChecklistItem,
    EventKind,
    Inspection,
    InspectionItem,
    InspectionPhoto,
    Venue,
)
from wangge.venues.selectors.register import open_card
from wangge.venues.services.cards import inspection_judge
from wangge.venues.services.timeline import event_add

MAX_PHOTOS = 6
# An inspection made offline may be sent this long after it was made, and never from the future.
LATE_DAYS, CLOCK_SKEW = 7, timedelta(minutes=10)


class ClientIdConflict(ValidationError):
    """The client id names an inspection of another venue or inspector; the client sends again
    under a new client id."""

    error_code = "client_id_conflict"

    def __init__(self) -> None:
        super().__init__(
            {
                "client_id": [
                    "该客户端编号已用于另一次检查，请重新提交 / this client_id was already used "
                    "for another inspection; send it again with a new one"
                ]
            },
            code=self.error_code,
        )


@dataclass(frozen=True)
class ItemResult:
    item_id: int
    passed: bool
    note: str = ""


@dataclass(frozen=True)
class InspectionInput:
    client_id: str
    items: Sequence[ItemResult]
    note: str = ""
    second_inspector_id: int | None = None
    at: datetime | None = None
    photos: Sequence[UploadedFile] = field(default_factory=tuple)


def checklist_of(venue: Venue) -> list[ChecklistItem]:
    """The active items of the venue's kind, in their order."""
    return list(ChecklistItem.objects.filter(kind_id=venue.kind_id, active=True))


def inspectors_of(venue: Venue, *, besides: Any = None) -> list[User]:
    """The active users who hold INSPECT on the venue (who may come along as second inspector)."""
    grid = venue.grid
    near = (
        Q(role_assignments__street_id=grid.community.street_id)
        | Q(role_assignments__community_id=grid.community_id)
        | Q(role_assignments__grid_id__in=[grid.pk, grid.parent_id])
    )
    candidates = (
        User.objects.filter(near, is_active=True)
        .exclude(pk=getattr(besides, "pk", None))
        .distinct()
        .order_by("full_name", "pk")
    )
    return [
        user
        for user in candidates
        if Venue.objects.restrict(user, INSPECT).filter(pk=venue.pk).exists()
    ]


def _items(venue: Venue, given: Sequence[ItemResult]) -> list[tuple[ChecklistItem, ItemResult]]:
    checklist = {item.pk: item for item in checklist_of(venue)}
    answers = {result.item_id: result for result in given}
    unknown = sorted(set(answers) - set(checklist))
    if unknown:
        raise ValidationError(
            {"items": f"检查项不属于该场所类别：{unknown} / items not on this venue's checklist"}
        )
    missing = [item.text for pk, item in checklist.items() if pk not in answers]
    if missing:
        raise ValidationError(
            {"items": f"未填写检查项：{'、'.join(missing)} / items not answered: {len(missing)}"}
        )
    return [(item, answers[pk]) for pk, item in checklist.items()]


def _second(venue: Venue, by: User, user_id: int | None) -> User | None:
    if user_id is None:
        return None
    second = User.objects.filter(pk=user_id, is_active=True).first()
    if (
        second is None
        or second.pk == by.pk
        or not Venue.objects.restrict(second, INSPECT).filter(pk=venue.pk).exists()
    ):
        raise ValidationError(
            {
                "second_inspector": "同行检查人须为另一名有该场所检查权限的人员 / the second "
                "inspector must be another user who may inspect this venue"
            }
        )
    return second


def _moment(at: datetime | None) -> datetime:
    now = timezone.now()
    if at is None:
        return now
    if at > now + CLOCK_SKEW or at < now - timedelta(days=LATE_DAYS):
        raise ValidationError(
            {
                "at": f"检查时间须在过去{LATE_DAYS}天内 / the inspection time must be within the "
                f"last {LATE_DAYS} days"
            }
        )
    return at


def _photos(uploads: Sequence[UploadedFile]) -> list[CleanPhoto]:
    if len(uploads) > MAX_PHOTOS:
        raise ValidationError({"photos": f"照片最多{MAX_PHOTOS}张 / at most {MAX_PHOTOS} photos"})
    return [photo_clean(upload) for upload in uploads]


def _stored(venue: Venue, by: User, client_id: str) -> Inspection | None:
    stored = Inspection.objects.filter(client_id=client_id).first()
    if stored is not None and (stored.venue_id, stored.inspector_id) != (venue.pk, by.pk):
        raise ClientIdConflict()
    return stored


def inspection_record(
    *, by: User, venue: Venue, data: InspectionInput, origin: Origin = Origin.SYSTEM
) -> tuple[Inspection, bool]:
    """Record an inspection; (inspection, created). The caller's right comes first, then the
    client id: the same client id sent again answers the stored inspection and changes nothing.
    The photos are checked by content before anything is written."""
    if not Venue.objects.restrict(by, INSPECT).filter(pk=venue.pk).exists():
        raise PermissionDenied("无权检查该场所 / you may not inspect this venue")
    client_id = (data.client_id or "").strip()
    if not client_id or len(client_id) > 64:
        raise ValidationError(
            {"client_id": "缺少或过长的客户端编号 / client_id missing or too long"}
        )
    stored = _stored(venue, by, client_id)
    if stored is not None:
        return stored, False
    photos = _photos(data.photos)
    return _write(by, venue, data, client_id, photos, origin)


@transaction.atomic
def _write(
    by: User,
    venue: Venue,
    data: InspectionInput,
    client_id: str,
    photos: list[CleanPhoto],
    origin: Origin,
) -> tuple[Inspection, bool]:
    venue = Venue.objects.select_for_update().get(pk=venue.pk)
    stored = _stored(venue, by, client_id)
    if stored is not None:
        return stored, False
    answered = _items(venue, data.items)
    inspection = Inspection.objects.create(
        venue=venue,
        client_id=client_id,
        inspector=by,
        second_inspector=_second(venue, by, data.second_inspector_id),
        at=_moment(data.at),
        passed=all(result.passed for _, result in answered),
        is_reinspection=open_card(venue) is not None,
        note=data.note.strip()[:500],
    )
    InspectionItem.objects.bulk_create(
        InspectionItem(
            inspection=inspection, text=item.text, passed=result.passed, note=result.note[:300]
        )
        for item, result in answered
    )
    for number, photo in enumerate(photos, 1):
        row = InspectionPhoto(inspection=inspection, content_type=photo.content_type)
        row.file.save(
            f"{client_id[:36]}-{number}{photo.extension}", ContentFile(photo.content), save=True
        )
    verdict = "合格" if inspection.passed else "不合格"
    kind = "复查" if inspection.is_reinspection else "检查"
    event_add(venue, EventKind.INSPECTED, by=by, at=inspection.at, text=f"{kind}{verdict}")
    audit_record(actor=by, action="venue.inspect", target=inspection, origin=origin)
    inspection_judge(inspection, by=by, origin=origin)
    return inspection, True
