"""共建单位 pages: the list, a unit's page (letters, the buildings it took, take and release), a
new unit, a letter's scan and its printable PDF."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_http_methods, require_POST

from wangge.accounts.authority import areas_held, holds, user_can
from wangge.accounts.http import SignedInRequest
from wangge.core.origin import Origin
from wangge.core.pdf import render_pdf
from wangge.core.roles import Action
from wangge.regions.models import Building, Community, Street
from wangge.teams.forms.units import BuildingForm, LetterForm, UnitForm
from wangge.teams.models import CobuildingUnit, ResponsibilityLetter, Team, TeamKind
from wangge.teams.selectors.duties import (
    buildings_count,
    buildings_free,
    street_staff,
    unit_buildings,
    units_for,
)
from wangge.teams.services import units as services
from wangge.teams.views.areas import chosen_area, edit_areas


def _unit(request: SignedInRequest, pk: int, action: str = Action.VIEW) -> CobuildingUnit:
    return get_object_or_404(units_for(request.user, action), pk=pk)


@login_required
def index(request: SignedInRequest) -> HttpResponse:
    if not user_can(request.user, Action.VIEW):
        raise PermissionDenied
    units = list(units_for(request.user).order_by("street", "community", "name"))
    taken = buildings_count({u.pk for u in units})
    for unit in units:
        unit.building_count = taken.get(unit.pk, 0)  # type: ignore[attr-defined]
    context = {"units": units, "can_add": bool(edit_areas(request.user))}
    return render(request, "teams/units.html", context)


def _form(request: SignedInRequest, street_ids: set[int], **initial: object) -> UnitForm:
    teams = Team.objects.restrict(request.user, Action.VIEW).filter(
        kind=TeamKind.COBUILDING, street__in=street_ids
    )
    return UnitForm(
        request.POST or None, initial=initial or None, staff=street_staff(*street_ids), teams=teams
    )


def _refused(form: UnitForm, error: ValidationError) -> None:
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


@login_required
@require_http_methods(["GET", "POST"])
def unit_new(request: SignedInRequest) -> HttpResponse:
    areas = edit_areas(request.user)
    if not areas:
        raise PermissionDenied
    streets = areas_held(request.user, Action.EDIT, Street).values_list("pk", flat=True)
    communities = areas_held(request.user, Action.EDIT, Community).values_list("street", flat=True)
    form = _form(request, set(streets) | set(communities))
    if request.method == "POST":
        street, community = chosen_area(request)
        if street is not None and form.is_valid():
            try:
                unit = services.unit_create(
                    by=request.user,
                    street=street,
                    data=services.UnitData(community=community, **form.cleaned_data),
                    origin=Origin.from_request(request),
                )
                return redirect("teams:unit", unit.pk)
            except ValidationError as error:
                _refused(form, error)
        elif street is None:
            form.add_error(None, "请选择街道或社区 / choose a street or community")
    context = {"form": form, "areas": areas}
    return render(request, "teams/unit_form.html", context, status=422 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def unit_edit(request: SignedInRequest, pk: int) -> HttpResponse:
    row = _unit(request, pk, Action.EDIT)
    initial = {name: getattr(row, name) for name in UnitForm.base_fields if name != "contact_phone"}
    form = _form(request, {row.street_id}, **initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        if not data["contact_phone"]:  # the phone is never shown in full: empty keeps it
            data["contact_phone"] = row.contact_phone
        try:
            services.unit_update(
                by=request.user,
                unit=row,
                data=services.UnitData(community=row.community, **data),
                origin=Origin.from_request(request),
            )
            return redirect("teams:unit", row.pk)
        except ValidationError as error:
            _refused(form, error)
    context = {"form": form, "unit": row}
    return render(request, "teams/unit_form.html", context, status=422 if form.errors else 200)


@login_required
def unit(request: SignedInRequest, pk: int) -> HttpResponse:
    row = _unit(request, pk)
    editable = holds(request.user, Action.EDIT, row.community or row.street)
    buildings = list(unit_buildings(row))
    free = []
    if editable:
        free = list(buildings_free(row).select_related("compound")[:500])
    context = {
        "unit": row,
        "letters": row.letters.all(),
        "buildings": buildings,
        "free": free,
        "editable": editable,
        "letter_form": LetterForm(),
    }
    return render(request, "teams/unit.html", context)


@login_required
@require_POST
def letter_add(request: SignedInRequest, pk: int) -> HttpResponse:
    row = _unit(request, pk, Action.EDIT)
    form = LetterForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "请填写签订日期 / give the day it was signed")
        return redirect("teams:unit", row.pk)
    try:
        services.letter_add(
            by=request.user, unit=row, origin=Origin.from_request(request), **form.cleaned_data
        )
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    return redirect("teams:unit", row.pk)


def _letter(request: SignedInRequest, pk: int) -> ResponsibilityLetter:
    return get_object_or_404(
        ResponsibilityLetter.objects.filter(unit__in=units_for(request.user)).select_related(
            "unit__street", "unit__community"
        ),
        pk=pk,
    )


@login_required
def letter_scan(request: SignedInRequest, pk: int) -> FileResponse:
    letter = _letter(request, pk)
    if not letter.scan:
        raise Http404
    return FileResponse(letter.scan.open("rb"), content_type=letter.scan_type)


@login_required
def letter_pdf(request: SignedInRequest, pk: int) -> HttpResponse:
    letter = _letter(request, pk)
    context = {
        "letter": letter,
        "unit": letter.unit,
        "buildings": list(unit_buildings(letter.unit)),
    }
    pdf = render_pdf("teams/letter_pdf.html", context, request=request)
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = f"防控责任书-{letter.unit.name}.pdf"
    response["Content-Disposition"] = content_disposition_header(False, filename) or ""
    return response


def _building(request: SignedInRequest) -> Building | None:
    form = BuildingForm(request.POST)
    if not form.is_valid():
        return None
    return (
        Building.objects.restrict(request.user, Action.VIEW)
        .filter(pk=form.cleaned_data["building"])
        .first()
    )


@login_required
@require_POST
def building_take(request: SignedInRequest, pk: int) -> HttpResponse:
    row = _unit(request, pk, Action.EDIT)
    building = _building(request)
    if building is None:
        raise Http404
    try:
        services.building_take(
            by=request.user, unit=row, building=building, origin=Origin.from_request(request)
        )
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    return redirect("teams:unit", row.pk)


@login_required
@require_POST
def building_release(request: SignedInRequest, pk: int) -> HttpResponse:
    row = _unit(request, pk, Action.EDIT)
    building = _building(request)
    if building is None:
        raise Http404
    try:
        services.building_release(
            by=request.user, unit=row, building=building, origin=Origin.from_request(request)
        )
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    return redirect("teams:unit", row.pk)
