"""Stock move pages: receive a purchase, issue, transfer, write off a batch, reverse a ledger row.
Each posts to one service (services/stock.py); a refusal (not enough stock, an expired batch, a
batch not first to expire, no permission) is shown on the form and nothing is written."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from wangge.accounts.http import SignedInRequest
from wangge.core.origin import Origin
from wangge.core.roles import Action
from wangge.supplies.forms.stock import (
    IssueForm,
    PickForm,
    ReceiveForm,
    ReverseForm,
    TransferForm,
    WriteOffForm,
)
from wangge.supplies.models import Batch, Item, Place, RecipientKind, StockMove
from wangge.supplies.selectors.stock import (
    address_search,
    items_for,
    may_move,
    places_for,
    recipient_checkpoints,
    recipient_households,
    recipient_teams,
    reversed_ids,
)
from wangge.supplies.services import stock
from wangge.supplies.views.common import place_or_404, refusal_add


def _movable(request: SignedInRequest, pk: int) -> Place:
    place = place_or_404(request.user, pk)
    if not may_move(request.user, place):
        raise PermissionDenied
    return place


def _refused(form: object, error: Exception) -> None:
    if isinstance(error, PermissionDenied):
        form.add_error(None, str(error) or _("无权操作 / not allowed"))  # type: ignore[attr-defined]
    else:
        refusal_add(form, error)  # type: ignore[arg-type]


def _page(request: SignedInRequest, template: str, context: dict) -> HttpResponse:
    status = 422 if context["form"].errors else 200
    return render(request, f"supplies/{template}", context, status=status)


def _items(request: SignedInRequest, place: Place) -> QuerySet[Item]:
    return items_for(request.user).filter(street=place.street_id, active=True)


def _chosen_item(request: SignedInRequest, place: Place) -> Item | None:
    value = request.POST.get("item") or request.GET.get("item") or ""
    if not value.isdigit() or len(value) > 18:
        return None
    return _items(request, place).filter(pk=value).first()


@login_required
@require_http_methods(["GET", "POST"])
def receive(request: SignedInRequest, pk: int) -> HttpResponse:
    place = _movable(request, pk)
    form = ReceiveForm(request.POST or None, items=_items(request, place))
    if request.method == "POST" and form.is_valid():
        try:
            stock.receive(
                by=request.user,
                place=place,
                origin=Origin.from_request(request),
                **form.cleaned_data,
            )
            messages.success(request, _("已入库"))
            return redirect("supplies:place", place.pk)
        except (ValidationError, PermissionDenied) as error:
            _refused(form, error)
    return _page(request, "receive.html", {"form": form, "place": place})


def _batches(place: Place, item: Item | None) -> QuerySet[Batch] | None:
    if item is None:
        return None
    return Batch.objects.filter(place=place, item=item, quantity__gt=0)


def _pick(form: PickForm) -> dict[str, Any]:
    data = dict(form.cleaned_data)
    data.setdefault("batch", None)
    data["fefo_reason"] = data.get("fefo_reason") or ""
    return data


@login_required
@require_http_methods(["GET", "POST"])
def issue(request: SignedInRequest, pk: int) -> HttpResponse:
    place = _movable(request, pk)
    item = _chosen_item(request, place)
    households = recipient_households(request.user, place)
    search = request.GET.get("q", "").strip()[:60]
    default_kind = RecipientKind.HOUSEHOLD if search else RecipientKind.CHECKPOINT
    form = IssueForm(
        request.POST or None,
        initial={"item": item, "recipient_kind": default_kind},
        items=_items(request, place),
        item=item,
        batches=_batches(place, item),
        checkpoints=recipient_checkpoints(request.user, place),
        teams=recipient_teams(request.user, place),
        households=households if request.method == "POST" else address_search(households, search),
    )
    if request.method == "POST" and form.is_valid():
        data = _pick(form)
        recipient = {key: data.pop(key) for key in ("checkpoint", "team", "household", "label")}
        kind = data.pop("recipient_kind")
        try:
            stock.issue(
                by=request.user,
                place=place,
                recipient=stock.Recipient(kind, **{k: v for k, v in recipient.items() if v}),
                origin=Origin.from_request(request),
                **data,
            )
            messages.success(request, _("已出库"))
            return redirect("supplies:place", place.pk)
        except (ValidationError, PermissionDenied) as error:
            _refused(form, error)
    return _page(request, "issue.html", {"form": form, "place": place, "item": item, "q": search})


@login_required
@require_http_methods(["GET", "POST"])
def transfer(request: SignedInRequest, pk: int) -> HttpResponse:
    place = _movable(request, pk)
    item = _chosen_item(request, place)
    form = TransferForm(
        request.POST or None,
        initial={"item": item},
        items=_items(request, place),
        item=item,
        batches=_batches(place, item),
        destinations=places_for(request.user)
        .filter(street=place.street_id, active=True)
        .exclude(pk=place.pk),
    )
    if request.method == "POST" and form.is_valid():
        data = _pick(form)
        try:
            stock.transfer(
                by=request.user,
                source=place,
                destination=data.pop("destination"),
                origin=Origin.from_request(request),
                **data,
            )
            messages.success(request, _("已调拨"))
            return redirect("supplies:place", place.pk)
        except (ValidationError, PermissionDenied) as error:
            _refused(form, error)
    return _page(request, "transfer.html", {"form": form, "place": place, "item": item})


@login_required
@require_http_methods(["GET", "POST"])
def write_off(request: SignedInRequest, pk: int) -> HttpResponse:
    batch = get_object_or_404(
        Batch.objects.restrict(request.user, Action.VIEW).select_related("item", "place"), pk=pk
    )
    place = _movable(request, batch.place_id)
    form = WriteOffForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            stock.write_off(
                by=request.user,
                batch=batch,
                origin=Origin.from_request(request),
                **form.cleaned_data,
            )
            messages.success(request, _("已报损"))
            return redirect("supplies:place", place.pk)
        except (ValidationError, PermissionDenied) as error:
            _refused(form, error)
    return _page(request, "write_off.html", {"form": form, "place": place, "batch": batch})


@login_required
@require_http_methods(["GET", "POST"])
def reverse(request: SignedInRequest, pk: int) -> HttpResponse:
    move = get_object_or_404(
        StockMove.objects.restrict(request.user, Action.VIEW).select_related(
            "item", "batch", "place", "by"
        ),
        pk=pk,
    )
    place = _movable(request, move.place_id)
    form = ReverseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            stock.reverse(
                by=request.user,
                move=move,
                reason=form.cleaned_data["reason"],
                origin=Origin.from_request(request),
            )
            messages.success(request, _("已冲正"))
            return redirect("supplies:ledger", place.pk)
        except (ValidationError, PermissionDenied) as error:
            _refused(form, error)
    context = {"form": form, "place": place, "move": move, "done": bool(reversed_ids([move]))}
    return _page(request, "reverse.html", context)
