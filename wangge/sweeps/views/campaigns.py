"""The sweep pages of a phone: the campaigns a user sees (/sweeps/), a new campaign (/sweeps/new/),
start and close, and "my sweep" (/sweeps/<id>/go/): my buildings, then one building's households
with the form of each. The form works offline: the building's households and members come with the
page, and sweeps/sweep.js queues each attempt on the phone and syncs the queue to
/api/sweeps/sync/ when it can."""

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from wangge.accounts.authority import areas_held
from wangge.accounts.http import SignedInRequest
from wangge.core.origin import Origin
from wangge.core.roles import Action
from wangge.regions.models import Building, Community
from wangge.sweeps.checks import CHECKS, RESIDENTS, form_of
from wangge.sweeps.forms import CampaignForm
from wangge.sweeps.models import AttemptResult, Campaign, CampaignStatus, VisitStatus
from wangge.sweeps.selectors.visits import buildings_of, doors_of, swept_visits
from wangge.sweeps.services.campaigns import (
    campaign_close,
    campaign_create,
    campaign_may_manage,
    campaign_start,
)


def _campaign(request: SignedInRequest, pk: int) -> Campaign:
    return get_object_or_404(Campaign.objects.restrict(request.user, Action.VIEW), pk=pk)


def _may_create(request: SignedInRequest) -> bool:
    return areas_held(request.user, Action.EDIT, Community).exists()


@dataclass(frozen=True)
class CampaignRow:
    campaign: Campaign
    mine: dict[str, int]
    manageable: bool
    check_labels: list[str]


@login_required
def index(request: SignedInRequest) -> HttpResponse:
    rows = [
        CampaignRow(
            campaign,
            swept_visits(request.user, campaign).aggregate(
                total=Count("pk"), pending=Count("pk", filter=Q(status=VisitStatus.PENDING))
            ),
            campaign_may_manage(request.user, campaign),
            [str(CHECKS[code].label) for code in campaign.checks if code in CHECKS],
        )
        for campaign in Campaign.objects.restrict(request.user, Action.VIEW).select_related(
            "street"
        )
    ]
    context = {
        "rows": rows,
        "may_create": _may_create(request),
        "crumbs": [(_("扫楼清村"), "")],
    }
    return render(request, "sweeps/index.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def new(request: SignedInRequest) -> HttpResponse:
    if not _may_create(request):
        raise PermissionDenied
    form = CampaignForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            campaign_create(
                by=request.user, origin=Origin.from_request(request), **form.cleaned_data
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("已创建扫楼行动，请开始并指派人员。"))
            return redirect("sweeps:index")
    context = {"form": form, "crumbs": [(_("扫楼清村"), reverse("sweeps:index")), (_("新建"), "")]}
    return render(request, "sweeps/new.html", context)


def _manage(request: SignedInRequest, pk: int, act: Any, done: str) -> HttpResponse:
    campaign = _campaign(request, pk)
    try:
        act(by=request.user, campaign=campaign, origin=Origin.from_request(request))
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, done)
    return redirect("sweeps:index")


@login_required
@require_POST
def start(request: SignedInRequest, pk: int) -> HttpResponse:
    return _manage(request, pk, campaign_start, _("已开始，每户一条走访记录。"))


@login_required
@require_POST
def close(request: SignedInRequest, pk: int) -> HttpResponse:
    return _manage(request, pk, campaign_close, _("已结束该行动。"))


@login_required
def go(request: SignedInRequest, pk: int) -> HttpResponse:
    """My buildings in the campaign, with how many households are still pending."""
    campaign = _campaign(request, pk)
    context = {
        "campaign": campaign,
        "buildings": buildings_of(request.user, campaign),
        "crumbs": [(_("扫楼清村"), reverse("sweeps:index")), (campaign.name, "")],
    }
    return render(request, "sweeps/go.html", context)


@login_required
def building(request: SignedInRequest, pk: int, building_pk: int) -> HttpResponse:
    """One building's households, each with the campaign's form, for use offline."""
    campaign = _campaign(request, pk)
    doors = doors_of(request.user, campaign, building_pk)
    if not doors:
        raise Http404
    place = Building.objects.select_related("compound").get(pk=building_pk)
    texts = {
        "queued": _("%s 条待上传"),
        "waiting": _("待上传"),
        "stored": _("已保存在手机上，联网后自动上传。"),
        "recorded": _("已上传"),
        "refused": _("未被接受："),
        "signIn": _("登录已过期，请重新登录后再上传。"),
        "chooseResult": _("请选择本次结果。"),
        "statuses": dict(AttemptResult.choices),
    }
    context = {
        "campaign": campaign,
        "building": place,
        "doors": doors,
        "checks": [check for check in form_of(campaign.checks) if check.code != RESIDENTS],
        "residents": CHECKS[RESIDENTS],
        "results": AttemptResult.choices,
        "running": campaign.status == CampaignStatus.RUNNING,
        "texts": texts,
        "crumbs": [
            (_("扫楼清村"), reverse("sweeps:index")),
            (campaign.name, reverse("sweeps:go", args=[campaign.pk])),
            (f"{place.compound.name} {place.name}", ""),
        ],
    }
    return render(request, "sweeps/building.html", context)
