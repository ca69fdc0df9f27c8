"""The risk-area list: browse by date, add, edit, import a spreadsheet, see an area's history."""

import tempfile
from dataclasses import fields
from pathlib import Path

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from wangge.accounts.authority import user_can
from wangge.accounts.http import SignedInRequest
from wangge.core.decorators import register_required
from wangge.core.htmx import redirect_after_post
from wangge.measures.forms import RiskAreaForm, UploadForm
from wangge.measures.models import RiskArea
from wangge.measures.services import AreaData, risk_area_create, risk_area_import, risk_area_update
from wangge.measures.services.risk_areas import parse_date

AREA_FIELDS = [field.name for field in fields(AreaData)]


def _require_editor(request: HttpRequest) -> None:
    if not user_can(request.user, "import"):
        raise PermissionDenied


@register_required
def risk_areas(request: SignedInRequest) -> HttpResponse:
    """The list as it stands on a date (today by default), or every entry."""
    areas = RiskArea.objects.all()
    on_text = request.GET.get("on", "")
    try:
        on = parse_date(on_text)
    except ValueError:
        on = None
    if on is not None:
        areas = areas.filter(effective_from__lte=on).filter(
            Q(effective_until__isnull=True) | Q(effective_until__gt=on)
        )
    text = request.GET.get("q", "").strip()
    if text:
        areas = areas.filter(
            Q(province__contains=text)
            | Q(city__contains=text)
            | Q(district__contains=text)
            | Q(street__contains=text)
            | Q(division_code__startswith=text)
        )
    context = {
        "page": Paginator(areas, 50).get_page(request.GET.get("page")),
        "on": on,
        "q": text,
        "can_edit": user_can(request.user, "import"),
    }
    return render(request, "measures/risk_areas.html", context)


def _data(form: RiskAreaForm) -> AreaData:
    return AreaData(**{name: form.cleaned_data[name] for name in AREA_FIELDS})


@register_required
@require_http_methods(["GET", "POST"])
def risk_area_edit(request: SignedInRequest, pk: int | None = None) -> HttpResponse:
    _require_editor(request)
    area = get_object_or_404(RiskArea, pk=pk) if pk else None
    initial = {name: getattr(area, name) for name in AREA_FIELDS} if area else {}
    form = RiskAreaForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        note = form.cleaned_data["note"]
        try:
            if area is None:
                area = risk_area_create(by=request.user, data=_data(form), note=note)
            else:
                risk_area_update(by=request.user, area=area, data=_data(form), note=note)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("已保存"))
            return redirect_after_post(request, reverse("measures:risk_area", args=[area.pk]))
    status = 422 if form.errors else 200
    return render(
        request, "measures/risk_area_form.html", {"form": form, "area": area}, status=status
    )


@register_required
def risk_area(request: SignedInRequest, pk: int) -> HttpResponse:
    area = get_object_or_404(RiskArea, pk=pk)
    context = {
        "area": area,
        "changes": area.changes.select_related("by"),
        "can_edit": user_can(request.user, "import"),
    }
    return render(request, "measures/risk_area.html", context)


@register_required
@require_http_methods(["GET", "POST"])
def risk_area_upload(request: SignedInRequest) -> HttpResponse:
    _require_editor(request)
    form = UploadForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / Path(upload.name).name
            path.write_bytes(upload.read())
            created, updated, errors = risk_area_import(
                by=request.user, path=path, original_name=upload.name
            )
        if not errors:
            messages.success(
                request,
                _("导入完成：新增 %(created)s，更新 %(updated)s")
                % {"created": created, "updated": updated},
            )
            return redirect_after_post(request, reverse("measures:risk_areas"))
    status = 422 if errors or form.errors else 200
    return render(
        request, "measures/risk_area_upload.html", {"form": form, "errors": errors}, status=status
    )
