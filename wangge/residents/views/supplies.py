"""The household's supplies (/my/supplies/): order the items the street lets households ask for and
write a shopping list (代购清单), see each need's state and timeline, and the hand-over code to
show the deliverer at the door. Needs are read through the account's household only."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from wangge.core.origin import Origin
from wangge.residents.auth import resident_required
from wangge.residents.models import Account
from wangge.supplies.models import Item, NeedKind
from wangge.supplies.selectors.needs import household_needs, timeline
from wangge.supplies.services.needs import LineInput, need_cancel, need_create


def _account(request: HttpRequest) -> Account:
    return request.resident  # type: ignore[attr-defined]


def _orderable(account: Account) -> list[Item]:
    household = account.household
    if household is None:
        return []
    street_id = household.grid.community.street_id
    return list(
        Item.objects.filter(street_id=street_id, household_orderable=True, active=True).order_by(
            "category", "name"
        )
    )


def _lines(request: HttpRequest, items: list[Item]) -> list[LineInput]:
    lines = []
    for item in items:
        raw = request.POST.get(f"item-{item.pk}", "").strip()
        if raw:
            try:
                quantity = int(raw)
            except ValueError:
                quantity = 0
            lines.append(LineInput(item, quantity))
    return lines


@require_http_methods(["GET", "POST"])
@resident_required
def supplies(request: HttpRequest) -> HttpResponse:
    account = _account(request)
    items = _orderable(account)
    errors: list[str] = []
    if request.method == "POST" and account.household is not None:
        try:
            need_create(
                by=None,
                resident=account,
                kind=NeedKind.HOUSEHOLD,
                household=account.household,
                lines=_lines(request, items),
                wishes=request.POST.get("wishes", ""),
                note=request.POST.get("note", ""),
                origin=Origin.from_request(request),
            )
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(request, _("申领已提交，工作人员审批后配送"))
            return HttpResponseRedirect(reverse("residents:supplies"))
    rows = list(household_needs(account.household_id)[:30])
    for row in rows:
        row.steps = timeline(row, staff_names=False)  # type: ignore[attr-defined]
    context = {"items": items, "rows": rows, "errors": errors, "posted": request.POST}
    return render(request, "residents/supplies.html", context, status=400 if errors else 200)


@require_POST
@resident_required
def supplies_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    account = _account(request)
    need = get_object_or_404(household_needs(account.household_id), pk=pk)
    try:
        need_cancel(by=None, resident=account, need=need, origin=Origin.from_request(request))
    except (ValidationError, PermissionDenied) as error:
        texts = error.messages if isinstance(error, ValidationError) else [str(error)]
        messages.error(request, " ".join(texts))
    return HttpResponseRedirect(reverse("residents:supplies"))
