"""The inspection page of a phone (巡查检查): the venue's checklist, pass or fail with a note per
item, photos and a second inspector. The page's script queues an inspection on the phone and sends
it to the API (/api/venues/inspections/) when it can; without the script the same form posts here.
The 歇业 switch of a venue is here too."""

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from wangge.accounts.http import SignedInRequest
from wangge.core.api import integer_id
from wangge.core.origin import Origin
from wangge.venues.models import INSPECT, Inspection, Venue
from wangge.venues.selectors.register import open_card
from wangge.venues.services.cards import venue_closed_set
from wangge.venues.services.inspections import (
    MAX_PHOTOS,
    InspectionInput,
    ItemResult,
    checklist_of,
    inspection_record,
    inspectors_of,
)


def _venue(request: SignedInRequest, pk: int) -> Venue:
    rows = Venue.objects.restrict(request.user, INSPECT).select_related("kind", "grid__community")
    return get_object_or_404(rows, pk=pk)


def _posted(request: SignedInRequest, venue: Venue) -> InspectionInput:
    post = request.POST
    results = []
    for item in checklist_of(venue):
        verdict = post.get(f"item_{item.pk}", "")
        if verdict in ("pass", "fail"):
            results.append(ItemResult(item.pk, verdict == "pass", post.get(f"note_{item.pk}", "")))
    second = post.get("second_inspector", "")
    try:
        second_id = integer_id(second) if second else None
    except ValueError as error:
        raise ValidationError({"second_inspector": "编号无效 / not an id"}) from error
    return InspectionInput(
        client_id=post.get("client_id", ""),
        items=results,
        note=post.get("note", ""),
        second_inspector_id=second_id,
        photos=request.FILES.getlist("photos"),
    )


def _context(request: SignedInRequest, venue: Venue, **extra: Any) -> dict[str, Any]:
    return {
        "venue": venue,
        "items": checklist_of(venue),
        "seconds": inspectors_of(venue, besides=request.user),
        "card": open_card(venue),
        "recent": Inspection.objects.filter(venue=venue).select_related("inspector")[:5],
        "client_id": str(uuid.uuid4()),
        "max_photos": MAX_PHOTOS,
        "texts": {
            "queued": _("待上传 %s 条检查（离线暂存）"),
            "saved": _("检查已提交"),
            "stored": _("网络不通：检查已存在手机上，联网后自动上传"),
            "refused": _("一条暂存的检查未被接受："),
            "signIn": _("登录已过期，请重新登录后上传暂存的检查"),
            "missing": _("请为每一项选择合格或不合格"),
        },
        **extra,
    }


@login_required
@require_http_methods(["GET", "POST"])
def inspect(request: SignedInRequest, pk: int) -> HttpResponse:
    venue = _venue(request, pk)
    if request.method == "POST":
        try:
            inspection, _created = inspection_record(
                by=request.user,
                venue=venue,
                data=_posted(request, venue),
                origin=Origin.from_request(request),
            )
        except ValidationError as error:
            errors = error.messages
            return render(
                request, "venues/inspect.html", _context(request, venue, errors=errors), status=400
            )
        verdict = _("合格") if inspection.passed else _("不合格")
        messages.success(request, _("检查已提交：%s") % verdict)
        return redirect("venues:inspect", pk=venue.pk)
    return render(request, "venues/inspect.html", _context(request, venue))


@login_required
@require_POST
def closed_set(request: SignedInRequest, pk: int) -> HttpResponse:
    """歇业 set or lifted by hand."""
    venue = _venue(request, pk)
    venue_closed_set(
        by=request.user,
        venue_id=venue.pk,
        closed=request.POST.get("closed") == "1",
        reason=request.POST.get("reason", "")[:200],
        origin=Origin.from_request(request),
    )
    return redirect(reverse("venues:inspect", args=[venue.pk]))
