"""Staff import pages: upload, progress and result, the one-time passwords, the template."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from wangge.accounts.forms import StaffImportForm
from wangge.accounts.http import SignedInRequest
from wangge.accounts.models import StaffImport
from wangge.accounts.staff_import.reader import StaffImportError
from wangge.accounts.staff_import.services import (
    staff_import_create,
    staff_import_take_credentials,
)
from wangge.accounts.staff_import.workbooks import template_workbook
from wangge.accounts.staff_views import manager_required
from wangge.core.htmx import is_htmx
from wangge.core.origin import Origin

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
RECENT = 10


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, filename) or "attachment"
    response["Cache-Control"] = "no-store"
    return response


def _crumbs(job: StaffImport | None = None) -> list[tuple[str, str]]:
    crumbs = [(_("工作人员"), reverse("accounts:staff_list")), (_("导入"), "")]
    if job is not None:
        crumbs[-1] = (_("导入"), reverse("accounts:staff_import"))
        crumbs.append((job.original_name, ""))
    return crumbs


@manager_required
def staff_import(request: SignedInRequest) -> HttpResponse:
    form = StaffImportForm(request.POST or None, request.FILES or None, manager=request.user)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            created = staff_import_create(
                by=request.user,
                street=form.cleaned_data["street"],
                filename=upload.name,
                content=upload.read(),
                origin=Origin.from_request(request),
            )
        except StaffImportError as error:
            form.add_error("file", str(error))
        else:
            return redirect("accounts:staff_import_detail", pk=created.pk)
    recent = StaffImport.objects.filter(created_by=request.user).select_related("street")
    return render(
        request,
        "accounts/staff_import.html",
        {"form": form, "recent": recent[:RECENT], "crumbs": _crumbs()},
        status=422 if request.method == "POST" else 200,
    )


@never_cache
@manager_required
def staff_import_detail(request: SignedInRequest, pk: int) -> HttpResponse:
    """The importer's own import; while it runs, htmx polls the progress part of this page."""
    job = get_object_or_404(
        StaffImport.objects.select_related("street", "job"), pk=pk, created_by=request.user
    )
    running = job.status in {StaffImport.Status.PENDING, StaffImport.Status.RUNNING}
    template = (
        "accounts/_staff_import_result.html"
        if is_htmx(request)
        else "accounts/staff_import_detail.html"
    )
    return render(
        request,
        template,
        {"job": job, "running": running, "crumbs": _crumbs(job)},
    )


@require_POST
@manager_required
def staff_import_credentials(request: SignedInRequest, pk: int) -> HttpResponse:
    """POST, not GET: a link preview or a prefetch must not use up the one download."""
    job = get_object_or_404(StaffImport, pk=pk, created_by=request.user)
    if not job.credentials_available:
        raise Http404
    content = staff_import_take_credentials(
        by=request.user, staff_import=job, origin=Origin.from_request(request)
    )
    return _xlsx(content, f"初始密码-{job.pk}.xlsx")


@login_required
def staff_import_template(request: SignedInRequest) -> HttpResponse:
    return _xlsx(template_workbook(), "工作人员导入模板.xlsx")
