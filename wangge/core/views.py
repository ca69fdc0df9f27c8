"""The shared pages: the alert inbox and the audit log (the home page lives in `wangge.front`)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wangge.core.forms import AlertReadForm, AuditFilterForm
from wangge.core.scoping import user_can
from wangge.core.selectors import audit_entries_for, audit_filter
from wangge.core.services import alert_mark_read

PAGE_SIZE = 50


@login_required
def alerts(request: HttpRequest) -> HttpResponse:
    """The bell's inbox: newest first, unread ones marked."""
    inbox = request.user.alerts.all()  # type: ignore[union-attr]  # login_required: a User
    page = Paginator(inbox, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "core/alerts.html", {"page": page})


@login_required
@require_POST
def alerts_read(request: HttpRequest) -> HttpResponse:
    form = AlertReadForm(request.POST)
    if form.is_valid():
        alert = form.cleaned_data["alert"]
        count = alert_mark_read(user=request.user, alert_ids=[alert] if alert else None)
        if not alert:
            messages.success(request, _("已将%(count)d条提醒标为已读") % {"count": count})
    return redirect("core:alerts")


@login_required
def audit(request: HttpRequest) -> HttpResponse:
    """The audit log for commanders and admins; see `audit_entries_for` for who reads what."""
    if not user_can(request.user, "audit"):
        raise PermissionDenied
    form = AuditFilterForm(request.GET or None)
    entries = audit_entries_for(request.user)
    if form.is_valid():
        entries = audit_filter(entries, **form.cleaned_data)
    elif form.is_bound:
        entries = entries.none()
    page = Paginator(entries.select_related("actor"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "core/audit.html", {"form": form, "page": page})
