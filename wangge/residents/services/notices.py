"""信息发布: staff who may edit the register of an area publish a notice to its residents; an urgent
one goes out by SMS too, as a notify message to the same area (notify's own services, an
emergency: never capped, never opted out of). A resident's opening of a notice is its read
receipt, kept once per account; the receipt is its own record, so it is not audited again."""

from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from wangge.accounts.authority import holds
from wangge.accounts.models import User
from wangge.core.models import AuditEntry
from wangge.core.origin import Origin
from wangge.core.roles import Action
from wangge.core.services import audit_record
from wangge.notify.audience import audience_parse
from wangge.notify.models import Channel, MessageKind
from wangge.notify.places import AudienceError
from wangge.notify.services import NotifyError, message_create, message_send
from wangge.regions.models import Community, Compound, Grid, Street
from wangge.residents.models import Account, Notice, NoticeRead

AREAS: dict[str, type[models.Model]] = {
    Notice.Level.COMPOUND: Compound,
    Notice.Level.GRID: Grid,
    Notice.Level.COMMUNITY: Community,
    Notice.Level.STREET: Street,
}
SMS_TEXT_MAX = 300


@dataclass(frozen=True)
class NoticeInput:
    level: str
    area_id: int
    title: str
    text: str
    urgent: bool = False
    expires_at: datetime | None = None


def may_publish(user: User, area: models.Model) -> bool:
    """Whether `user` may edit the register of the whole area; a compound counts when its
    community is held, or every grid it spans."""
    if isinstance(area, Compound):
        if holds(user, Action.EDIT, area.community):
            return True
        grids = Grid.objects.filter(buildings__compound=area).distinct()
        return grids.exists() and all(holds(user, Action.EDIT, grid) for grid in grids)
    return holds(user, Action.EDIT, area)  # type: ignore[arg-type]  # a Street, Community or Grid


def _area(level: str, area_id: int) -> models.Model:
    if level not in AREAS:
        raise ValidationError(
            {"level": "范围应为小区、网格、社区或街道 / compound, grid, community or street"}
        )
    area = AREAS[level]._default_manager.filter(pk=area_id).first()
    if area is None:
        raise ValidationError({"area": "无此区域 / no such area"})
    return area


def _placed(level: str, area: models.Model) -> dict[str, object]:
    """The notice's area fields: the area itself and the narrowest areas holding it."""
    if isinstance(area, Street):
        return {"street": area}
    if isinstance(area, Community):
        return {"street_id": area.street_id, "community": area}
    if isinstance(area, Grid):
        return {
            "street_id": area.community.street_id,
            "community_id": area.community_id,
            "grid": area,
        }
    compound: Compound = area  # type: ignore[assignment]
    grids = list(
        Grid.objects.filter(buildings__compound=compound).distinct().values_list("pk", flat=True)
    )
    return {
        "street_id": compound.community.street_id,
        "community_id": compound.community_id,
        "grid_id": grids[0] if len(grids) == 1 else None,
        "compound": compound,
    }


def _audience_value(notice: Notice) -> str:
    """The notice's area as notify names it: a path from the street down."""
    if notice.level == Notice.Level.STREET:
        return notice.street.name
    return notice.area_label


def _checked(data: NoticeInput) -> tuple[str, str]:
    errors: dict[str, str] = {}
    title, text = data.title.strip(), data.text.strip()
    if not title or len(title) > 80:
        errors["title"] = "请填写标题（80字以内） / a title of at most 80 characters is required"
    if not text or len(text) > 2000:
        errors["text"] = "请填写内容（2000字以内） / a text of at most 2000 characters is required"
    if data.expires_at is not None and data.expires_at <= timezone.now():
        errors["expires_at"] = "有效期须晚于现在 / the expiry must lie in the future"
    if errors:
        raise ValidationError(errors)
    return title, text


def _send_sms(notice: Notice, by: User, origin: Origin) -> None:
    text = f"{notice.title}：{notice.text}"[:SMS_TEXT_MAX]
    # Braces are notify's placeholders: a notice's text carries none.
    text = text.translate(str.maketrans("{}｛｝", "()（）"))
    try:
        audience = audience_parse(
            notice.level, _audience_value(notice), by=by, street=notice.street.name
        )
        message = message_create(
            by=by,
            origin=origin,
            audience=audience,
            channels=[Channel.SMS],
            text=text,
            kind=MessageKind.EMERGENCY,
            title=notice.title,
        )
        notice.message = message_send(message, by=by, origin=origin)
    except (AudienceError, NotifyError) as error:
        raise ValidationError({"urgent": f"短信未能发出：{error}"}) from error
    notice.save(update_fields=["message"])


@transaction.atomic
def notice_publish(*, by: User, data: NoticeInput, origin: Origin = Origin.SYSTEM) -> Notice:
    """Publish a notice to an area whose register `by` may edit; an urgent one is sent by SMS to
    the area's residents too, in the same transaction."""
    title, text = _checked(data)
    area = _area(data.level, data.area_id)
    if not may_publish(by, area):
        raise PermissionDenied("您无权向该范围发布信息 / you may not publish to this area")
    notice = Notice.objects.create(
        level=data.level,
        title=title,
        text=text,
        urgent=data.urgent,
        expires_at=data.expires_at,
        published_by=by,
        **_placed(data.level, area),
    )
    audit_record(
        actor=by,
        action=AuditEntry.Action.CREATE,
        target=notice,
        changes={"level": notice.level, "area": notice.area_label, "urgent": notice.urgent},
        origin=origin,
    )
    if notice.urgent:
        _send_sms(notice, by, origin)
    return notice


def notice_read(*, account: Account, notice: Notice) -> tuple[NoticeRead, bool]:
    """The account's read receipt of a notice it may see (the caller resolved it through the
    account); the first one stays: (receipt, created)."""
    stored = NoticeRead.objects.filter(notice=notice, account=account).first()
    if stored is not None:
        return stored, False
    try:
        with transaction.atomic():
            receipt = NoticeRead.objects.create(
                notice=notice, account=account, household_id=account.household_id
            )
    except IntegrityError:
        return NoticeRead.objects.get(notice=notice, account=account), False
    return receipt, True
