"""The shared page: the alert inbox (the home page and the audit log live in `wangge.front`)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wangge.core.forms import AlertReadForm
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
