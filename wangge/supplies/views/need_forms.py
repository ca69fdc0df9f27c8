"""Reading the need pages' forms: what a new need may name (checkpoints, teams, households and items
the user sees), its lines, and the step posted on a need's page, handed to the services."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

from wangge.accounts.http import SignedInRequest
from wangge.core.api import integer_id
from wangge.core.origin import Origin
from wangge.core.roles import Action
from wangge.core.scoping import scope_of
from wangge.regions.models import Household
from wangge.supplies.models import Item, Need, NeedKind, Place
from wangge.supplies.selectors.needs import checkpoints_for, member_deliverers, staff_deliverers
from wangge.supplies.services import need_handover, needs
from wangge.teams.models import Team

FORM_LINES = 6


def may_create(user: Any) -> bool:
    return not scope_of(user, Action.EDIT).empty or checkpoints_for(user).exists()


def choices(user: Any) -> dict[str, Any]:
    checkpoints = checkpoints_for(user)
    streets = checkpoints.values("community__street")
    items = Item.objects.filter(
        Q(pk__in=Item.objects.restrict(user, Action.VIEW).values("pk")) | Q(street__in=streets),
        active=True,
    )
    return {
        "checkpoints": checkpoints,
        "teams": Team.objects.restrict(user, Action.EDIT).order_by("name"),
        "items": items.order_by("category", "name"),
    }


def _id(raw: str, field: str) -> int:
    try:
        return integer_id(raw)
    except ValueError as error:
        raise ValidationError({field: _("请选择")}) from error


def _lines(request: SignedInRequest) -> list[needs.LineInput]:
    items = request.POST.getlist("item")
    quantities = request.POST.getlist("quantity")
    chosen = [(i, q) for i, q in zip(items, quantities, strict=False) if i.strip() or q.strip()]
    found = Item.objects.in_bulk([_id(i, "item") for i, _q in chosen])
    lines = []
    for raw_item, raw_quantity in chosen:
        item = found.get(_id(raw_item, "item"))
        try:
            quantity = int(raw_quantity)
        except ValueError:
            quantity = 0
        if item is None:
            raise ValidationError(_("请选择物资"))
        lines.append(needs.LineInput(item, quantity))
    return lines


def create_args(request: SignedInRequest) -> dict[str, Any]:
    """The keyword arguments of need_create from the new-need form."""
    kind = request.POST.get("kind", "")
    user = request.user
    target: dict[str, Any] = {}
    if kind == NeedKind.CHECKPOINT:
        pk = _id(request.POST.get("checkpoint", ""), "checkpoint")
        target["checkpoint"] = checkpoints_for(user).filter(pk=pk).first()
    elif kind == NeedKind.TEAM:
        pk = _id(request.POST.get("team", ""), "team")
        target["team"] = Team.objects.restrict(user, Action.EDIT).filter(pk=pk).first()
    elif kind == NeedKind.HOUSEHOLD:
        pk = _id(request.POST.get("household", ""), "household")
        target["household"] = Household.objects.restrict(user, Action.EDIT).filter(pk=pk).first()
    return {
        "kind": kind,
        **target,
        "lines": _lines(request),
        "wishes": request.POST.get("wishes", ""),
        "note": request.POST.get("note", ""),
    }


def take_step(request: SignedInRequest, need: Need) -> str:
    """Take the posted step on the need; the message that says it is done."""
    post, by, origin = request.POST, request.user, Origin.from_request(request)
    step = post.get("step", "")
    if step == "approve":
        place = None
        if post.get("place"):
            place = Place.objects.filter(pk=_id(post["place"], "place")).first()
        needs.need_approve(by=by, need=need, place=place, origin=origin)
        return _("已批准")
    if step == "reject":
        needs.need_reject(by=by, need=need, reason=post.get("reason", ""), origin=origin)
        return _("已驳回")
    if step == "pick":
        place = None
        if post.get("place"):
            place = Place.objects.filter(pk=_id(post["place"], "place")).first()
        needs.need_pick(by=by, need=need, place=place, note=post.get("note", ""), origin=origin)
        return _("已配货")
    if step == "dispatch":
        raw = post.get("deliverer", "")
        kind, _sep, pk = raw.partition("-")
        member = user = None
        if kind == "member":
            member = member_deliverers(need).filter(pk=_id(pk, "deliverer")).first()
        elif kind == "user":
            user = staff_deliverers(need).filter(pk=_id(pk, "deliverer")).first()
        needs.need_dispatch(by=by, need=need, member=member, user=user, origin=origin)
        return _("已派送")
    if step == "code":
        need_handover.need_handover_code(by=by, need=need, code=post.get("code", ""), origin=origin)
        return _("已送达")
    if step == "photo":
        upload = request.FILES.get("photo")
        if upload is None:
            raise ValidationError(_("请拍摄或选择照片"))
        need_handover.need_handover_photo(by=by, need=need, photo=upload, origin=origin)
        return _("已送达")
    if step == "cancel":
        needs.need_cancel(by=by, need=need, reason=post.get("reason", ""), origin=origin)
        return _("已取消")
    raise ValidationError(_("未知操作"))
