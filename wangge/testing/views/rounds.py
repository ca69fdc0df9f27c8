"""Rounds: the list, a new round, and the round page with its live coverage and chart."""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wangge.accounts.authority import holds, user_can
from wangge.accounts.http import SignedInRequest
from wangge.core.decorators import register_required
from wangge.core.htmx import redirect_after_post
from wangge.core.origin import Origin
from wangge.people.forms import add_service_errors
from wangge.testing import services
from wangge.testing.forms import RoundForm, SiteForm
from wangge.testing.models import LabResult, NucleicRound, ResultImport, UnmatchedResult
from wangge.testing.selectors.coverage import LEVELS, coverage_total, excluded_count, round_coverage
from wangge.testing.views.common import visible


@register_required
def index(request: SignedInRequest) -> HttpResponse:
    user = request.user
    rounds = NucleicRound.objects.restrict(user, "view").select_related("street")
    return render(
        request,
        "testing/index.html",
        {
            "rounds": rounds[:50],
            "awaiting": LabResult.objects.restrict(user, "view").filter(review="awaiting").count(),
            "open_rows": UnmatchedResult.objects.restrict(user, "view")
            .filter(status="open")
            .count(),
            "imports": ResultImport.objects.restrict(user, "view")[:5],
            "can_create": user_can(user, "edit"),
            "can_import": user_can(user, "import"),
        },
    )


@register_required
def round_new(request: SignedInRequest) -> HttpResponse:
    form = RoundForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            round = services.round_create(
                by=request.user,
                street=data["street"],
                name=data["name"],
                scope=data["scope"],
                communities=list(data["communities"]),
                grids=list(data["grids"]),
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                min_age=data["min_age"],
                note=data["note"],
                origin=Origin.from_request(request),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("已创建轮次 %(name)s") % {"name": round.name})
            return redirect_after_post(request, reverse("testing:round", args=[round.pk]))
    status = 422 if form.is_bound and form.errors else 200
    return render(request, "testing/round_form.html", {"form": form}, status=status)


def _level(request: HttpRequest) -> str:
    level = request.GET.get("level", "grid")
    return level if level in LEVELS else "grid"


def _coverage_context(request: SignedInRequest, round: NucleicRound) -> dict[str, Any]:
    level = _level(request)
    rows = round_coverage(round, request.user, level)
    chart = {
        "labels": [row.label for row in rows],
        "tested": [row.tested for row in rows],
        "untested": [row.untested for row in rows],
        "names": {"tested": _("已检"), "untested": _("未检")},
    }
    return {
        "round": round,
        "level": level,
        "levels": [
            ("community", _("按社区"), _("社区")),
            ("grid", _("按网格"), _("网格")),
            ("building", _("按楼栋"), _("楼栋")),
        ],
        "rows": rows,
        "total": coverage_total(rows),
        "chart": chart,
        "poll_seconds": settings.WANGGE["TESTING_COVERAGE_POLL_SECONDS"],
    }


@register_required
def round_detail(request: SignedInRequest, pk: int) -> HttpResponse:
    round = visible(NucleicRound, request, pk)
    context = _coverage_context(request, round)
    context.update(
        {
            "sites": round.sites.all(),
            "site_form": SiteForm(),
            "excluded": excluded_count(round, request.user),
            "imports": ResultImport.objects.restrict(request.user, "view").filter(round=round)[:10],
            "can_edit": holds(request.user, "edit", round.street),
        }
    )
    return render(request, "testing/round_detail.html", context)


@register_required
def round_coverage_fragment(request: SignedInRequest, pk: int) -> HttpResponse:
    """The coverage table and chart data, polled by the round page while results arrive."""
    round = visible(NucleicRound, request, pk)
    return render(request, "testing/_coverage.html", _coverage_context(request, round))


@register_required
@require_POST
def site_add(request: SignedInRequest, pk: int) -> HttpResponse:
    round = visible(NucleicRound, request, pk)
    form = SiteForm(request.POST)
    if form.is_valid():
        try:
            services.site_add(
                by=request.user,
                round=round,
                origin=Origin.from_request(request),
                **form.cleaned_data,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect_after_post(request, reverse("testing:round", args=[pk]))
    context = {"round": round, "sites": round.sites.all(), "site_form": form}
    return render(request, "testing/_sites.html", context, status=422)
