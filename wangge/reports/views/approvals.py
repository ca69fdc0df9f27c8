"""The approvals page (docs/reports.md "Approval"): for a day, each community the user sees with
where it stands; its own staff approve, they or the street's command send it back with a reason."""

from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wangge.accounts.http import SignedInRequest
from wangge.core.origin import Origin
from wangge.reports.selectors.approvals import (
    approval_communities,
    approval_history,
    approval_rows,
)
from wangge.reports.services.approvals import report_approve, report_unapprove


def day_asked(value: str) -> date:
    """The day of the query, yesterday (the last finished day) when missing or not a date."""
    try:
        return date.fromisoformat(value)
    except ValueError:
        return timezone.localdate() - timedelta(days=1)


@login_required
def approvals(request: SignedInRequest) -> HttpResponse:
    on = day_asked(request.GET.get("day", ""))
    rows = approval_rows(request.user, on)
    context = {
        "on": on,
        "rows": rows,
        "approved": sum(1 for row in rows if row.approval is not None),
        "history": approval_history([row.community.pk for row in rows], on),
    }
    return render(request, "reports/approvals.html", context)


@login_required
@require_POST
def decide(request: SignedInRequest, verb: str) -> HttpResponse:
    community = get_object_or_404(
        approval_communities(request.user), pk=request.POST.get("community") or 0
    )
    on = day_asked(request.POST.get("day", ""))
    origin = Origin.from_request(request)
    try:
        if verb == "approve":
            report_approve(by=request.user, community=community, day=on, origin=origin)
            messages.success(request, _("%(name)s 的日报已审批") % {"name": community.name})
        else:
            report_unapprove(
                by=request.user,
                community=community,
                day=on,
                reason=request.POST.get("reason", ""),
                origin=origin,
            )
            messages.success(request, _("%(name)s 的日报已撤销审批") % {"name": community.name})
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(f"{reverse('reports:approvals')}?{urlencode({'day': on.isoformat()})}")
