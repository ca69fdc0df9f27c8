"""盘点 pages: the counts of the user's places, the sheet's download and the filled sheet's
upload, and a count with its differences, approved or rejected by a second person."""

import tempfile
from pathlib import Path

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from wangge.accounts.authority import user_can
from wangge.accounts.http import SignedInRequest
from wangge.core.decorators import register_required
from wangge.core.origin import Origin
from wangge.core.roles import Action
from wangge.core.shortcuts import XLSX, get_visible_or_404
from wangge.supplies.forms.counts import CountUploadForm, RejectForm
from wangge.supplies.models import CountStatus, Place, StockCount
from wangge.supplies.services.counts import (
    CountRefused,
    count_approve,
    count_import,
    count_reject,
    count_sheet,
)


@register_required
def index(request: SignedInRequest) -> HttpResponse:
    counts = StockCount.objects.restrict(request.user).select_related("place", "by", "decided_by")
    places = Place.objects.restrict(request.user).order_by("name")
    raw = request.GET.get("place", "")
    place = places.filter(pk=raw).first() if raw.isdigit() and len(raw) < 19 else None
    if place is not None:
        counts = counts.filter(place=place)
    context = {
        "page": Paginator(counts, 50).get_page(request.GET.get("page")),
        "places": places,
        "place": place,
    }
    return render(request, "supplies/counts/index.html", context)


@register_required
@require_http_methods(["GET", "POST"])
def new(request: SignedInRequest) -> HttpResponse:
    form = CountUploadForm(request.POST or None, request.FILES or None, user=request.user)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            with tempfile.TemporaryDirectory() as folder:
                path = Path(folder) / ("count" + Path(upload.name).suffix.lower()[:8])
                with path.open("wb") as handle:
                    for chunk in upload.chunks():
                        handle.write(chunk)
                count = count_import(
                    by=request.user,
                    place=form.cleaned_data["place"],
                    path=path,
                    original_name=upload.name,
                    origin=Origin.from_request(request),
                )
        except (CountRefused, ValidationError) as refused:
            errors = refused.messages
        except PermissionDenied as error:
            errors = [str(error)]
        else:
            messages.success(request, _("盘点已提交，待他人审核"))
            return redirect("supplies:count", count.pk)
    places = form.fields["place"].queryset  # type: ignore[attr-defined]
    context = {"form": form, "errors": errors, "places": places}
    status = 422 if request.method == "POST" else 200
    return render(request, "supplies/counts/new.html", context, status=status)


@register_required
def sheet(request: SignedInRequest, place_pk: int) -> HttpResponse:
    place = get_visible_or_404(Place, request.user, place_pk, Action.EDIT)
    response = HttpResponse(count_sheet(place), content_type=XLSX)
    name = f"{place.name}-盘点表.xlsx"
    response["Content-Disposition"] = content_disposition_header(True, name) or "attachment"
    response["Cache-Control"] = "no-store"
    return response


@register_required
def detail(request: SignedInRequest, pk: int) -> HttpResponse:
    count = get_visible_or_404(StockCount, request.user, pk)
    open_count = count.status == CountStatus.SUBMITTED
    can_decide = open_count and user_can(request.user, Action.EDIT, count)
    context = {
        "count": count,
        "lines": count.lines.select_related("item", "batch"),
        "can_approve": can_decide and count.by_id != request.user.pk,
        "reject_form": RejectForm() if can_decide else None,
    }
    return render(request, "supplies/counts/detail.html", context)


def _refused(request: SignedInRequest, error: ValidationError | PermissionDenied) -> None:
    messages.error(request, " ".join(getattr(error, "messages", None) or [str(error)]))


@register_required
@require_POST
def approve(request: SignedInRequest, pk: int) -> HttpResponse:
    count = get_visible_or_404(StockCount, request.user, pk)
    try:
        count_approve(by=request.user, count=count, origin=Origin.from_request(request))
    except (ValidationError, PermissionDenied) as error:
        _refused(request, error)
    else:
        messages.success(request, _("盘点已审核，差异已调整入账"))
    return redirect("supplies:count", count.pk)


@register_required
@require_POST
def reject(request: SignedInRequest, pk: int) -> HttpResponse:
    count = get_visible_or_404(StockCount, request.user, pk)
    form = RejectForm(request.POST)
    try:
        count_reject(
            by=request.user,
            count=count,
            note=form.data.get("note", ""),
            origin=Origin.from_request(request),
        )
    except (ValidationError, PermissionDenied) as error:
        _refused(request, error)
    else:
        messages.success(request, _("盘点已驳回"))
    return redirect("supplies:count", count.pk)
