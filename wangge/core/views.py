"""The shared pages: the alert inbox, and a job's page with its export's download (the home page
and the audit log live in `wangge.front`)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wangge.core.exports import ExportGone, export_download
from wangge.core.forms import AlertReadForm
from wangge.core.jobs.models import Job
from wangge.core.origin import Origin
from wangge.core.services import alert_mark_read

PAGE_SIZE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


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
def job(request: HttpRequest, pk: int) -> HttpResponse:
    """One job of the user's own: its progress bar (polled while it runs) and, for a finished
    export, the download link until it expires. Another user's job does not exist (404)."""
    job = get_object_or_404(Job, pk=pk, owner=request.user.pk)
    return render(request, "core/job.html", {"job": job, "crumbs": [(_("后台任务"), "")]})


@login_required
def job_download(request: HttpRequest, pk: int) -> HttpResponse | FileResponse:
    """The export's file, to its owner only (others 404), audited; 410 once it has expired."""
    job = get_object_or_404(Job, pk=pk, owner=request.user.pk)
    try:
        path = export_download(job=job, by=request.user, origin=Origin.from_request(request))
    except ExportGone:
        return render(request, "core/job_gone.html", {"job": job}, status=410)
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(path.open("rb"), as_attachment=True, content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, path.name) or "attachment"
    response["Cache-Control"] = "no-store"
    return response
