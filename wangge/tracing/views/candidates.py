"""A grid worker's worklist of candidates across cases (/tracing/candidates/), pending first, and
the decisions on one candidate — confirm, dismiss with a reason, reopen — through
services.decisions. A decision posted by htmx answers with the candidate's row redrawn (with the
refusal in it, if any); a plain post goes back to the page it came from."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from wangge.accounts.http import SignedInRequest
from wangge.core.decorators import register_required
from wangge.core.htmx import is_htmx
from wangge.tracing.forms import DismissForm
from wangge.tracing.models import CandidateStatus
from wangge.tracing.selectors import visible_candidates, worklist
from wangge.tracing.services.decisions import (
    candidate_confirm,
    candidate_dismiss,
    candidate_reopen,
)
from wangge.tracing.views.common import rows_for

PAGE_SIZE = 25


@register_required
@require_GET
def index(request: SignedInRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    page = Paginator(worklist(request.user, status), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "rows": rows_for(request.user, list(page)),
        "status": status if status in CandidateStatus.values else "",
        "statuses": CandidateStatus.choices,
        "on_worklist": True,
    }
    return render(request, "tracing/candidates.html", context)


def _decide(request: SignedInRequest, pk: int, action: str) -> HttpResponse:
    candidate = get_object_or_404(visible_candidates(request.user), pk=pk)
    error = ""
    try:
        if action == "confirm":
            note = request.POST.get("note", "")
            candidate = candidate_confirm(by=request.user, candidate=candidate, note=note)
        elif action == "dismiss":
            form = DismissForm(request.POST)
            reason = form.cleaned_data["reason"] if form.is_valid() else ""
            candidate = candidate_dismiss(by=request.user, candidate=candidate, reason=reason)
        else:
            candidate = candidate_reopen(by=request.user, candidate=candidate)
    except (ValidationError, PermissionDenied) as refusal:
        error = "；".join(getattr(refusal, "messages", None) or [str(refusal)])
    if is_htmx(request):
        fresh = get_object_or_404(visible_candidates(request.user), pk=candidate.pk)
        (row,) = rows_for(request.user, [fresh])
        row.error = error
        context = {"row": row, "on_worklist": request.POST.get("worklist") == "1"}
        return render(request, "tracing/_candidate_row.html", context)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("已处理"))
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return redirect(target)
    return redirect("tracing:case", candidate.case_id)


@register_required
@require_POST
def confirm(request: SignedInRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, "confirm")


@register_required
@require_POST
def dismiss(request: SignedInRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, "dismiss")


@register_required
@require_POST
def reopen(request: SignedInRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, "reopen")
