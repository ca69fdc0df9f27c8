"""A campaign's progress (/sweeps/<id>/): the header, a table per community (for users of more
than one) and per grid, refreshed by polling the progress API (static/sweeps/progress.js); a
grid's buildings (/sweeps/<id>/grids/<grid>/); a building's map of households
(/sweeps/<id>/buildings/<building>/), laid out as its floor plan and printable."""

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from wangge.accounts.http import SignedInRequest
from wangge.core.decorators import register_required
from wangge.sweeps.checks import CHOOSABLE
from wangge.sweeps.models import Campaign, VisitStatus
from wangge.sweeps.selectors.progress import building_map, campaign_for, campaign_progress


def _poll_url(campaign: Campaign, grid_id: int | None = None) -> str:
    url = reverse("sweep-progress-detail", args=[campaign.pk])
    return f"{url}?grid={grid_id}" if grid_id else url


@register_required
@require_GET
def campaign_page(request: SignedInRequest, pk: int) -> HttpResponse:
    campaign = campaign_for(request.user, pk)
    progress = campaign_progress(user=request.user, campaign=campaign)
    context = {
        "campaign": campaign,
        "check_labels": [dict(CHOOSABLE).get(code, code) for code in campaign.checks],
        "progress": progress,
        "poll_url": _poll_url(campaign),
        "poll_seconds": settings.WANGGE["SWEEP_PROGRESS_POLL_SECONDS"],
        "crumbs": [(campaign.name, None)],
    }
    return render(request, "sweeps/progress.html", context)


@register_required
@require_GET
def grid_page(request: SignedInRequest, pk: int, grid_id: int) -> HttpResponse:
    campaign = campaign_for(request.user, pk)
    progress = campaign_progress(user=request.user, campaign=campaign)
    grid = next((row for row in progress.grids if row.pk == grid_id), None)
    if grid is None:
        raise Http404
    context = {
        "campaign": campaign,
        "grid": grid,
        "buildings": progress.buildings_of(grid_id),
        "poll_url": _poll_url(campaign, grid_id),
        "poll_seconds": settings.WANGGE["SWEEP_PROGRESS_POLL_SECONDS"],
        "crumbs": [(campaign.name, reverse("sweeps:campaign", args=[pk])), (grid.name, None)],
    }
    return render(request, "sweeps/grid_progress.html", context)


@register_required
@require_GET
def building_page(request: SignedInRequest, pk: int, building_id: int) -> HttpResponse:
    campaign = campaign_for(request.user, pk)
    plan = building_map(user=request.user, campaign=campaign, building_id=building_id)
    building = plan.building
    context = {
        "campaign": campaign,
        "plan": plan,
        "statuses": VisitStatus.choices,
        "crumbs": [(campaign.name, reverse("sweeps:campaign", args=[pk])), (str(building), None)],
    }
    return render(request, "sweeps/building_map.html", context)
