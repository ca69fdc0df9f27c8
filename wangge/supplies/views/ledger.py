"""出入库台账 page: one place's ledger for a period, newest first, with a reverse link on the rows
that may still be reversed, and its export as an .xlsx job."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wangge.accounts.authority import user_can
from wangge.accounts.http import SignedInRequest
from wangge.core.exports import EXPORT_REASONS
from wangge.core.forms import ExportReasonForm
from wangge.core.origin import Origin
from wangge.core.roles import Action
from wangge.supplies.exports import ledger_export, move_reason
from wangge.supplies.forms.stock import LedgerFilterForm
from wangge.supplies.models import MoveKind
from wangge.supplies.selectors.stock import ledger as ledger_rows
from wangge.supplies.selectors.stock import may_move, reversed_ids
from wangge.supplies.views.common import place_or_404

PAGE_SIZE = 50


@login_required
def ledger(request: SignedInRequest, pk: int) -> HttpResponse:
    place = place_or_404(request.user, pk)
    filters = LedgerFilterForm(request.GET or None)
    period = filters.cleaned_data if filters.is_valid() else {}
    rows = ledger_rows(place, **{k: v for k, v in period.items() if v})
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    moves = list(page.object_list)
    done = reversed_ids(moves)
    can_move = may_move(request.user, place)
    for move in moves:
        move.reason_text = move_reason(move)
        move.can_reverse = can_move and move.kind != MoveKind.REVERSAL and move.pk not in done
    context = {
        "place": place,
        "filters": filters,
        "page": page,
        "moves": moves,
        "can_export": user_can(request.user, Action.EXPORT, place),
        "reasons": EXPORT_REASONS,
    }
    return render(request, "supplies/ledger.html", context)


@login_required
@require_POST
def ledger_xlsx(request: SignedInRequest, pk: int) -> HttpResponse:
    """The period's ledger as an export job, asked with a purpose; its page has the download."""
    place = place_or_404(request.user, pk)
    if not user_can(request.user, Action.EXPORT, place):
        raise PermissionDenied
    filters = LedgerFilterForm(request.POST)
    form = ExportReasonForm(request.POST)
    if not (form.is_valid() and filters.is_valid()):
        messages.error(request, _("请选择导出用途 / choose the purpose of the export"))
        return redirect("supplies:ledger", place.pk)
    job = ledger_export(
        by=request.user,
        place=place,
        origin=Origin.from_request(request),
        **filters.cleaned_data,
        **form.cleaned_data,
    )
    return redirect("core:job", job.pk)
