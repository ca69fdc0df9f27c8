"""Venue pages: the upload, the import's progress and result, its error report, the register's
export. Thin: each view checks the action (`import` or `export`), calls a service, renders. An
import is only ever shown to its importer; while its job runs the page polls its status part."""

from typing import Any

from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from wangge.accounts.http import SignedInRequest
from wangge.core.decorators import action_required
from wangge.core.htmx import is_htmx, redirect_after_post
from wangge.core.origin import Origin
from wangge.core.roles import Action
from wangge.core.shortcuts import error_report_download
from wangge.venues.exporting import venue_export
from wangge.venues.importing.forms import VenueExportForm, VenueUploadForm
from wangge.venues.importing.service import venue_import_upload
from wangge.venues.models import VenueImport

RECENT = 10


def _crumbs(venue_import: VenueImport | None = None) -> list[tuple[str, str]]:
    if venue_import is None:
        return [(_("导入场所"), "")]
    return [(_("导入场所"), reverse("venues:import")), (venue_import.original_name, "")]


def _own(request: SignedInRequest, pk: int) -> VenueImport:
    return get_object_or_404(
        VenueImport.objects.select_related("job", "street"), pk=pk, created_by=request.user
    )


@action_required(Action.IMPORT)
def upload(request: SignedInRequest) -> HttpResponse:
    form = VenueUploadForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            venue_import = venue_import_upload(
                by=request.user,
                street=form.cleaned_data["street"],
                upload=form.cleaned_data["file"],
                origin=Origin.from_request(request),
            )
        except ValidationError as error:
            form.add_error("file", error.messages[0])
        else:
            return redirect_after_post(
                request, reverse("venues:import_detail", args=[venue_import.pk])
            )
    recent = VenueImport.objects.filter(created_by=request.user).select_related("street")
    return render(
        request,
        "venues/imports/upload.html",
        {"form": form, "recent": recent[:RECENT], "crumbs": _crumbs()},
        status=422 if request.method == "POST" else 200,
    )


def _context(venue_import: VenueImport) -> dict[str, Any]:
    job = venue_import.job
    failed_job = job is not None and job.status == job.Status.FAILED
    return {
        "venue_import": venue_import,
        "running": venue_import.status == VenueImport.Status.RUNNING and not failed_job,
        "message": venue_import.message or (job.message if failed_job and job else ""),
        "crumbs": _crumbs(venue_import),
    }


@never_cache
@action_required(Action.IMPORT)
def detail(request: SignedInRequest, pk: int) -> HttpResponse:
    """The importer's own import; while it runs, htmx polls the status part of this page."""
    venue_import = _own(request, pk)
    template = "venues/imports/_import.html" if is_htmx(request) else "venues/imports/detail.html"
    return render(request, template, _context(venue_import))


@action_required(Action.IMPORT)
def report(request: SignedInRequest, pk: int) -> FileResponse:
    """The rejected rows (and, on a second sheet, the warned ones) of the importer's own import."""
    venue_import = _own(request, pk)
    return error_report_download(venue_import.error_report, venue_import.original_name)


@action_required(Action.EXPORT)
def export(request: SignedInRequest) -> HttpResponse:
    form = VenueExportForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        job = venue_export(
            by=request.user, origin=Origin.from_request(request), **form.cleaned_data
        )
        return redirect("core:job", job.pk)
    return render(
        request,
        "venues/export.html",
        {"form": form, "crumbs": [(_("导出场所登记"), "")]},
        status=422 if request.method == "POST" else 200,
    )
