"""The street's item catalogue, its places and their low-stock thresholds. Items are the street's
(EDIT on the street); a place of a community is that community's (EDIT on it), a street place the
street's."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from wangge.accounts.authority import holds
from wangge.core.origin import Origin
from wangge.core.roles import Action
from wangge.core.services import audit_record, field_changes
from wangge.regions.models import Community, Street
from wangge.supplies.models import Item, ItemCategory, PickingMode, Place, PlaceKind, StockThreshold

ITEM_FIELDS = (
    "name",
    "category",
    "unit",
    "pack_size",
    "pack_unit",
    "has_expiry",
    "picking",
    "household_orderable",
    "active",
)
PLACE_FIELDS = ("name", "kind", "address", "checkpoint", "keeper", "active")


def _values(row: Any, fields: tuple[str, ...]) -> dict[str, Any]:
    return {name: str(getattr(row, name)) for name in fields}


def _item_clean(values: dict[str, Any]) -> dict[str, Any]:
    name = str(values.get("name", "")).strip()[:60]
    if not name:
        raise ValidationError({"name": "请填写物资名称 / the item's name is required"})
    if values.get("category") not in ItemCategory.values:
        raise ValidationError({"category": "请选择物资类别 / choose the item's category"})
    unit = str(values.get("unit", "")).strip()[:8]
    if not unit:
        raise ValidationError({"unit": "请填写计量单位 / the unit is required"})
    pack_size = values.get("pack_size", 1)
    if isinstance(pack_size, bool) or not isinstance(pack_size, int) or pack_size < 1:
        raise ValidationError({"pack_size": "每件数量须为正整数 / the pack size must be 1 or more"})
    picking = values.get("picking", PickingMode.WARN)
    if picking not in PickingMode.values:
        raise ValidationError({"picking": "未知的出库方式 / unknown picking mode"})
    return {
        "name": name,
        "category": values["category"],
        "unit": unit,
        "pack_size": pack_size,
        "pack_unit": str(values.get("pack_unit", "")).strip()[:8],
        "has_expiry": bool(values.get("has_expiry", True)),
        "picking": picking,
        "household_orderable": bool(values.get("household_orderable", False)),
        "active": bool(values.get("active", True)),
    }


@transaction.atomic
def item_save(
    *,
    by: Any,
    street: Street,
    values: dict[str, Any],
    item: Item | None = None,
    origin: Origin = Origin.SYSTEM,
) -> Item:
    """Create an item of the street's catalogue, or change `item`. Street staff only."""
    if item is not None:
        street = item.street
    if not holds(by, Action.EDIT, street):
        raise PermissionDenied("只有街道可维护物资目录 / only the street keeps the item catalogue")
    clean = _item_clean(values)
    same = Item.objects.filter(street=street, name=clean["name"])
    if item is not None:
        same = same.exclude(pk=item.pk)
    if same.exists():
        raise ValidationError({"name": "已有同名物资 / an item of this name exists"})
    before = _values(item, ITEM_FIELDS) if item is not None else {}
    item = item or Item(street=street)
    for name, value in clean.items():
        setattr(item, name, value)
    item.save()
    changes = field_changes(before, _values(item, ITEM_FIELDS))
    action = "update" if before else "create"
    if changes:
        audit_record(actor=by, action=action, target=item, changes=changes, origin=origin)
    return item


@transaction.atomic
def place_save(
    *,
    by: Any,
    street: Street,
    values: dict[str, Any],
    community: Community | None = None,
    place: Place | None = None,
    origin: Origin = Origin.SYSTEM,
) -> Place:
    """Create a place of the street (no community) or of one community, or change `place` (its
    area stays). A checkpoint place names a checkpoint of its community."""
    if place is not None:
        street, community = place.street, place.community
    if community is not None and community.street_id != street.pk:
        raise ValidationError(
            {"community": "社区不属于该街道 / the community is of another street"}
        )
    if not holds(by, Action.EDIT, community or street):
        raise PermissionDenied("您无权管理该库点 / you may not manage places here")
    name = str(values.get("name", "")).strip()[:60]
    if not name:
        raise ValidationError({"name": "请填写库点名称 / the place's name is required"})
    kind = values.get("kind")
    if kind not in PlaceKind.values:
        raise ValidationError({"kind": "请选择库点类型 / choose the kind of place"})
    checkpoint = values.get("checkpoint")
    if kind == PlaceKind.CHECKPOINT and checkpoint is None:
        raise ValidationError({"checkpoint": "请选择卡点 / choose the checkpoint"})
    if checkpoint is not None and checkpoint.community_id != getattr(community, "pk", None):
        raise ValidationError(
            {"checkpoint": "卡点须属于本社区 / the checkpoint is of another community"}
        )
    same = Place.objects.filter(street=street, name=name)
    if place is not None:
        same = same.exclude(pk=place.pk)
    if same.exists():
        raise ValidationError({"name": "已有同名库点 / a place of this name exists"})
    before = _values(place, PLACE_FIELDS) if place is not None else {}
    place = place or Place(street=street, community=community)
    place.name, place.kind = name, kind
    place.address = str(values.get("address", "")).strip()[:120]
    place.checkpoint = checkpoint if kind == PlaceKind.CHECKPOINT else None
    place.keeper = values.get("keeper")
    place.active = bool(values.get("active", True))
    place.save()
    changes = field_changes(before, _values(place, PLACE_FIELDS))
    if changes:
        action = "update" if before else "create"
        audit_record(actor=by, action=action, target=place, changes=changes, origin=origin)
    return place


@transaction.atomic
def threshold_set(
    *, by: Any, place: Place, item: Item, minimum: int | None, origin: Origin = Origin.SYSTEM
) -> StockThreshold | None:
    """Set the low-stock line of the item at the place; None (or 0) removes it."""
    if not holds(by, Action.EDIT, place.community or place.street):
        raise PermissionDenied("您无权管理该库点 / you may not manage this place")
    if item.street_id != place.street_id:
        raise ValidationError({"item": "该物资不属于此街道 / the item belongs to another street"})
    if minimum is not None and (isinstance(minimum, bool) or minimum < 0):
        raise ValidationError({"minimum": "预警数量不能为负 / the line cannot be below 0"})
    if not minimum:
        StockThreshold.objects.filter(place=place, item=item).delete()
        audit_record(actor=by, action="delete", target=place, changes={"threshold": item.name})
        return None
    threshold, _ = StockThreshold.objects.update_or_create(
        place=place, item=item, defaults={"minimum": minimum, "alerted_at": None}
    )
    audit_record(
        actor=by,
        action="update",
        target=place,
        changes={"threshold": [item.name, minimum]},
        origin=origin,
    )
    return threshold
