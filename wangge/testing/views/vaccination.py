"""Vaccination: coverage by age band and grid with its chart, the dose import, the outreach list of
the elderly without a complete course (notes, transport seats) and the transport trips."""

from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wangge.accounts.authority import user_can
from wangge.accounts.http import SignedInRequest
from wangge.core.decorators import register_required
from wangge.core.htmx import redirect_after_post
from wangge.core.origin import Origin
from wangge.core.spreadsheets import TableError
from wangge.people.forms import add_service_errors
from wangge.people.models import Person
from wangge.testing.forms import BookForm, OutreachNoteForm, SlotForm, SpreadsheetForm
from wangge.testing.models import TransportSlot
from wangge.testing.selectors.vaccination import (
    BANDS,
    BandRow,
    coverage_by_band,
    grid_names,
    outreach_list,
)
from wangge.testing.services import vaccination
from wangge.testing.services.lab.uploads import upload_path
from wangge.testing.views.common import page_of, visible


def _on(request: HttpRequest) -> date:
    return parse_date(request.GET.get("on", "")) or timezone.localdate()


@register_required
def vaccination_home(
    request: SignedInRequest, import_form: SpreadsheetForm | None = None
) -> HttpResponse:
    on = _on(request)
    bands = coverage_by_band(request.user, on)
    by_grid = coverage_by_band(request.user, on, by_grid=True)
    names = grid_names(by_grid)
    labels = [label for label, _, _ in BANDS]
    cells: dict[int | None, dict[str, BandRow]] = {}
    for row in by_grid:
        cells.setdefault(row.grid_id, {})[row.band] = row
    grids = sorted(
        (
            {"name": names.get(grid_id, "—"), "cells": [bands_of.get(label) for label in labels]}
            for grid_id, bands_of in cells.items()
        ),
        key=lambda grid: str(grid["name"]),
    )
    chart = {
        "labels": [row.band for row in bands],
        "first": [row.first_dose_percent for row in bands],
        "complete": [row.complete_percent for row in bands],
        "names": {"first": _("首针接种率"), "complete": _("全程接种率")},
    }
    return render(
        request,
        "testing/vaccination.html",
        {
            "on": on,
            "bands": bands,
            "band_labels": labels,
            "grids": grids,
            "chart": chart,
            "import_form": import_form or SpreadsheetForm(),
            "can_import": user_can(request.user, "import"),
        },
        status=422 if import_form is not None and import_form.errors else 200,
    )


@register_required
@require_POST
def doses_import(request: SignedInRequest) -> HttpResponseBase:
    form = SpreadsheetForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        with upload_path(upload) as path:
            try:
                outcome = vaccination.doses_import(
                    by=request.user,
                    path=path,
                    original_name=upload.name,
                    origin=Origin.from_request(request),
                )
            except TableError as error:
                form.add_error("file", str(error))
                return vaccination_home(request, import_form=form)
        messages.success(
            request,
            _(
                "新增 %(created)s 剂，更正 %(updated)s 剂，重复 %(duplicates)s，未匹配 %(unmatched)s，错误 %(rejected)s"
            )
            % outcome.as_dict(),
        )
        for number, reason in (outcome.unmatched + outcome.rejected)[:20]:
            messages.warning(
                request, _("第%(row)s行：%(reason)s") % {"row": number, "reason": reason}
            )
        return redirect_after_post(request, reverse("testing:vaccination"))
    return vaccination_home(request, import_form=form)


@register_required
def outreach(request: SignedInRequest) -> HttpResponse:
    on = timezone.localdate()
    return render(
        request,
        "testing/outreach.html",
        {
            "page": page_of(request, outreach_list(request.user, on)),
            "note_form": OutreachNoteForm(),
            "book_form": BookForm(user=request.user),
        },
    )


@register_required
@require_POST
def outreach_note(request: SignedInRequest, person_pk: int) -> HttpResponse:
    person = visible(Person, request, person_pk)
    form = OutreachNoteForm(request.POST)
    if form.is_valid():
        try:
            vaccination.outreach_note_add(
                by=request.user,
                person=person,
                origin=Origin.from_request(request),
                **form.cleaned_data,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("已记录 %(name)s") % {"name": person.name})
            return redirect_after_post(request, reverse("testing:outreach"))
    for problems in form.errors.values():
        messages.error(request, "；".join(str(problem) for problem in problems))
    return redirect_after_post(request, reverse("testing:outreach"))


@register_required
@require_POST
def slot_book(request: SignedInRequest, person_pk: int) -> HttpResponse:
    person = visible(Person, request, person_pk)
    form = BookForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            vaccination.slot_book(
                by=request.user,
                slot=form.cleaned_data["slot"],
                person=person,
                origin=Origin.from_request(request),
            )
        except ValidationError as error:
            messages.error(request, "；".join(error.messages))
        else:
            messages.success(request, _("已安排 %(name)s") % {"name": person.name})
    return redirect_after_post(request, reverse("testing:outreach"))


@register_required
def slots(request: SignedInRequest) -> HttpResponse:
    form = SlotForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            vaccination.slot_create(
                by=request.user, origin=Origin.from_request(request), **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect_after_post(request, reverse("testing:slots"))
    trips = (
        TransportSlot.objects.restrict(request.user, "view")
        .select_related("community")
        .prefetch_related("bookings__person")
    )
    return render(
        request,
        "testing/slots.html",
        {"trips": trips, "form": form, "can_create": user_can(request.user, "edit")},
        status=422 if form.is_bound and form.errors else 200,
    )
