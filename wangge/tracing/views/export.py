"""The trace of one case as the task force's workbook: asked with a purpose (POST), written as an
export job; the job's page shows the progress and the download."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wangge.accounts.http import SignedInRequest
from wangge.core.forms import ExportReasonForm
from wangge.core.origin import Origin
from wangge.tracing.exports import trace_export
from wangge.tracing.selectors import traced_cases


@login_required
@require_POST
def case_xlsx(request: SignedInRequest, pk: int) -> HttpResponse:
    """A case the user does not see is 404; one they may not export, 403 (trace_export)."""
    case = get_object_or_404(traced_cases(request.user), pk=pk)
    form = ExportReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择导出用途 / choose the purpose of the export"))
        return redirect("tracing:case", case.pk)
    job = trace_export(
        by=request.user, case=case, origin=Origin.from_request(request), **form.cleaned_data
    )
    return redirect("core:job", job.pk)
