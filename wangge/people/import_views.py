"""Roster pages: upload → preview → confirm → result (with undo), the template, reports, export.

Thin: each view checks the action (`import` or `export`), calls a service, renders. A batch is only
ever shown to its importer. Preview and import run as jobs, in the request or by the task worker as
the service decides; the page polls `imports:progress` every second while one runs.
"""

from io import BytesIO
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from wangge.accounts.http import SignedInRequest
from wangge.core.decorators import action_required
from wangge.core.htmx import redirect_after_post
from wangge.core.origin import Origin
from wangge.core.roles import Action
from wangge.core.shortcuts import error_report_download
from wangge.people.exporting import person_export
from wangge.people.forms import RosterExportForm
from wangge.people.importing.forms import RosterUploadForm
from wangge.people.importing.report import template_workbook
from wangge.people.importing.service import (
    roster_import_apply,
    roster_import_preview,
    roster_import_upload,
)
from wangge.people.importing.undo import roster_import_undo, undo_refusal
from wangge.people.models import ImportBatch

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
RECENT = 10
RUNNING = {
    ImportBatch.Status.PENDING,
    ImportBatch.Status.PREVIEWING,
    ImportBatch.Status.IMPORTING,
}


def _batch(request: SignedInRequest, pk: int) -> ImportBatch:
    return get_object_or_404(
        ImportBatch.objects.select_related("job"), pk=pk, created_by=request.user
    )


def _crumbs(batch: ImportBatch | None = None) -> list[tuple[str, str]]:
    if batch is None:
        return [(_("导入人员"), "")]
    return [(_("导入人员"), reverse("imports:upload")), (batch.original_name, "")]


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, filename) or "attachment"
    response["Cache-Control"] = "no-store"
    return response


@action_required(Action.IMPORT)
def upload(request: SignedInRequest) -> HttpResponse:
    form = RosterUploadForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            batch = roster_import_upload(
                by=request.user,
                street_name=form.cleaned_data["street"].strip(),
                upload=form.cleaned_data["file"],
            )
        except ValidationError as error:
            form.add_error("file", error.messages[0])
        else:
            roster_import_preview(batch=batch, by=request.user)
            return redirect_after_post(request, reverse("imports:detail", args=[batch.pk]))
    recent = ImportBatch.objects.filter(created_by=request.user)[:RECENT]
    return render(
        request,
        "people/imports/upload.html",
        {"form": form, "recent": recent, "crumbs": _crumbs()},
        status=422 if request.method == "POST" else 200,
    )


def _batch_context(request: SignedInRequest, batch: ImportBatch) -> dict[str, Any]:
    return {
        "batch": batch,
        "running": batch.status in RUNNING
        and not (batch.job and batch.job.status == batch.job.Status.FAILED),
        "undo_refusal": undo_refusal(batch, request.user)
        if batch.status == ImportBatch.Status.DONE
        else None,
        "crumbs": _crumbs(batch),
    }


@never_cache
@action_required(Action.IMPORT)
def detail(request: SignedInRequest, pk: int) -> HttpResponse:
    batch = _batch(request, pk)
    return render(request, "people/imports/detail.html", _batch_context(request, batch))


@never_cache
@action_required(Action.IMPORT)
def progress(request: SignedInRequest, pk: int) -> HttpResponse:
    """The batch's status part, which htmx swaps in every second while it runs."""
    batch = _batch(request, pk)
    return render(request, "people/imports/_batch.html", _batch_context(request, batch))


@require_POST
@action_required(Action.IMPORT)
def confirm(request: SignedInRequest, pk: int) -> HttpResponse:
    batch = _batch(request, pk)
    try:
        batch = roster_import_apply(
            batch=batch, by=request.user, origin=Origin.from_request(request)
        )
    except ValidationError as error:
        messages.error(request, error.messages[0])
    return redirect_after_post(request, reverse("imports:detail", args=[batch.pk]))


@require_POST
@action_required(Action.IMPORT)
def undo(request: SignedInRequest, pk: int) -> HttpResponse:
    batch = _batch(request, pk)
    try:
        roster_import_undo(batch=batch, by=request.user, origin=Origin.from_request(request))
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("已撤销该次导入"))
    return redirect_after_post(request, reverse("imports:detail", args=[batch.pk]))


@action_required(Action.IMPORT)
def template(request: SignedInRequest) -> HttpResponse:
    buffer = BytesIO()
    template_workbook().save(buffer)
    return _xlsx(buffer.getvalue(), "人员花名册模板.xlsx")


@action_required(Action.IMPORT)
def report(request: SignedInRequest, pk: int) -> FileResponse:
    """The rejected rows of the importer's own batch, to fix and import again."""
    batch = _batch(request, pk)
    return error_report_download(batch.error_report, batch.original_name)


@action_required(Action.EXPORT)
def export(request: SignedInRequest) -> HttpResponse:
    form = RosterExportForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        job = person_export(
            by=request.user, origin=Origin.from_request(request), **form.cleaned_data
        )
        return redirect("core:job", job.pk)
    return render(
        request,
        "people/imports/export.html",
        {"form": form, "crumbs": [(_("导出人员名单"), "")]},
        status=422 if request.method == "POST" else 200,
    )
