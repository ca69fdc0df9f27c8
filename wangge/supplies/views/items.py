"""物资目录 pages: the street's catalogue; street staff add and change its items."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from wangge.accounts.authority import areas_held, holds, user_can
from wangge.accounts.http import SignedInRequest
from wangge.core.origin import Origin
from wangge.core.roles import Action
from wangge.regions.models import Street
from wangge.supplies.forms.catalogue import ItemForm
from wangge.supplies.models import Item
from wangge.supplies.selectors.stock import items_for
from wangge.supplies.services.catalogue import ITEM_FIELDS, item_save
from wangge.supplies.views.common import refusal_add


@login_required
def items(request: SignedInRequest) -> HttpResponse:
    if not user_can(request.user, Action.VIEW):
        raise PermissionDenied
    context = {
        "items": items_for(request.user),
        "can_edit": areas_held(request.user, Action.EDIT, Street).exists(),
    }
    return render(request, "supplies/items.html", context)


def _save(request: SignedInRequest, form: ItemForm, item: Item | None) -> Item | None:
    if request.method != "POST" or not form.is_valid():
        return None
    values = dict(form.cleaned_data)
    street = item.street if item else values.pop("street")
    try:
        return item_save(
            by=request.user,
            street=street,
            values=values,
            item=item,
            origin=Origin.from_request(request),
        )
    except ValidationError as error:
        refusal_add(form, error)
    return None


@login_required
@require_http_methods(["GET", "POST"])
def item_new(request: SignedInRequest) -> HttpResponse:
    streets = areas_held(request.user, Action.EDIT, Street)
    if not streets.exists():
        raise PermissionDenied
    form = ItemForm(request.POST or None, streets=streets, initial={"street": streets.first()})
    if _save(request, form, None) is not None:
        return redirect("supplies:items")
    status = 422 if form.errors else 200
    return render(request, "supplies/item_form.html", {"form": form}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def item_edit(request: SignedInRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(items_for(request.user), pk=pk)
    if not holds(request.user, Action.EDIT, item.street):
        raise PermissionDenied
    initial = {name: getattr(item, name) for name in ITEM_FIELDS}
    form = ItemForm(request.POST or None, initial=initial)
    if _save(request, form, item) is not None:
        return redirect("supplies:items")
    context = {"form": form, "item": item}
    return render(request, "supplies/item_form.html", context, status=422 if form.errors else 200)
