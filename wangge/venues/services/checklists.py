"""检查项: the checklist of each kind of venue and the kind's synonyms, edited by staff who may edit
a whole street's register (or an administrator). An item is deactivated, never deleted, so past
inspections keep their text (an inspection stores the text it was judged by)."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max

from wangge.accounts.authority import scope_for
from wangge.core.origin import Origin
from wangge.core.roles import Action
from wangge.core.services import audit_record
from wangge.venues.models import ChecklistItem, VenueKind


def may_edit_checklists(user: Any) -> bool:
    scope = scope_for(user, Action.EDIT)
    return bool(scope.everything or scope.street_ids)


def _require(by: Any) -> None:
    if not may_edit_checklists(by):
        raise PermissionDenied("无权修改检查项 / you may not edit checklists")


def _text(kind: VenueKind, text: str, item_id: int | None = None) -> str:
    text = " ".join((text or "").split())
    if not text or len(text) > 100:
        raise ValidationError({"text": "检查项须为1–100个字 / an item has 1 to 100 characters"})
    if ChecklistItem.objects.filter(kind=kind, text=text).exclude(pk=item_id or 0).exists():
        raise ValidationError(
            {"text": f"该类别已有检查项“{text}” / the kind already has the item '{text}'"}
        )
    return text


@transaction.atomic
def checklist_item_add(
    *, by: Any, kind_id: int, text: str, origin: Origin = Origin.SYSTEM
) -> ChecklistItem:
    _require(by)
    kind = VenueKind.objects.select_for_update().get(pk=kind_id)
    last = ChecklistItem.objects.filter(kind=kind).aggregate(last=Max("order"))["last"]
    item = ChecklistItem.objects.create(
        kind=kind, text=_text(kind, text), order=0 if last is None else last + 1
    )
    audit_record(actor=by, action="venue.checklist_add", target=item, origin=origin)
    return item


@transaction.atomic
def checklist_item_update(
    *,
    by: Any,
    item_id: int,
    text: str | None = None,
    active: bool | None = None,
    origin: Origin = Origin.SYSTEM,
) -> ChecklistItem:
    """Rename an item and/or (de)activate it."""
    _require(by)
    item = ChecklistItem.objects.select_for_update().select_related("kind").get(pk=item_id)
    changes: dict[str, list[Any]] = {}
    if text is not None:
        new = _text(item.kind, text, item.pk)
        if new != item.text:
            changes["text"] = [item.text, new]
            item.text = new
    if active is not None and active != item.active:
        changes["active"] = [item.active, active]
        item.active = active
    if changes:
        item.save(update_fields=["text", "active"])
        audit_record(
            actor=by, action="venue.checklist_edit", target=item, changes=changes, origin=origin
        )
    return item


@transaction.atomic
def checklist_item_move(
    *, by: Any, item_id: int, up: bool, origin: Origin = Origin.SYSTEM
) -> ChecklistItem:
    """Swap an item with its neighbour above (up) or below; the kind's items are renumbered."""
    _require(by)
    item = ChecklistItem.objects.select_for_update().get(pk=item_id)
    items = list(ChecklistItem.objects.select_for_update().filter(kind_id=item.kind_id))
    at = next(i for i, other in enumerate(items) if other.pk == item.pk)
    to = at - 1 if up else at + 1
    if 0 <= to < len(items):
        items[at], items[to] = items[to], items[at]
        for position, other in enumerate(items):
            other.order = position
        ChecklistItem.objects.bulk_update(items, ["order"])
        audit_record(
            actor=by,
            action="venue.checklist_move",
            target=item,
            changes={"order": [at, to]},
            origin=origin,
        )
    return item


@transaction.atomic
def kind_synonyms_set(
    *, by: Any, kind_id: int, synonyms: str | list[str], origin: Origin = Origin.SYSTEM
) -> VenueKind:
    """The synonyms an import also reads as this kind ("饭店、餐馆" or a list); a synonym that is
    another kind's name or synonym is refused, since a row must read as one kind."""
    _require(by)
    kind = VenueKind.objects.select_for_update().get(pk=kind_id)
    if isinstance(synonyms, str):
        synonyms = synonyms.replace("、", ",").replace("，", ",").replace(" ", ",").split(",")
    names = list(dict.fromkeys(s.strip() for s in synonyms if s.strip() and s.strip() != kind.name))
    taken = {}
    for other in VenueKind.objects.exclude(pk=kind.pk):
        for name in [other.name, *other.synonyms]:
            taken[name] = other.name
    clash = [f"{name}（{taken[name]}）" for name in names if name in taken]
    if clash or any(len(name) > 30 for name in names):
        raise ValidationError(
            {
                "synonyms": f"别名已属于其他类别或过长：{'、'.join(clash)} / synonyms taken by "
                "another kind or longer than 30 characters"
            }
        )
    if names != kind.synonyms:
        changes = {"synonyms": [kind.synonyms, names]}
        kind.synonyms = names
        kind.save(update_fields=["synonyms"])
        audit_record(
            actor=by, action="venue.kind_synonyms", target=kind, changes=changes, origin=origin
        )
    return kind
