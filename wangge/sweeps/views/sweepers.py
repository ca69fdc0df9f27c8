"""扫楼人员: who sweeps which of a campaign's grids and buildings (/sweeps/<id>/sweepers/), for the
staff who may assign on those grids; the service decides who may."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from wangge.accounts.http import SignedInRequest
from wangge.core.origin import Origin
from wangge.core.roles import Action
from wangge.sweeps.forms import SweepersForm
from wangge.sweeps.models import Campaign, CampaignStatus
from wangge.sweeps.selectors.sweepers import grids_assignable, sweeper_candidates, sweepers_seen
from wangge.sweeps.services.campaigns import campaign_assign


@login_required
@require_http_methods(["GET", "POST"])
def sweepers(request: SignedInRequest, pk: int) -> HttpResponse:
    campaign = get_object_or_404(Campaign.objects.restrict(request.user, Action.VIEW), pk=pk)
    grids = grids_assignable(request.user, campaign)
    form = SweepersForm(request.POST or None, candidates=sweeper_candidates(campaign), grids=grids)
    if request.method == "POST":
        if not grids.exists():
            raise PermissionDenied
        if form.is_valid():
            try:
                made = campaign_assign(
                    by=request.user,
                    campaign=campaign,
                    sweeper=form.cleaned_data["sweeper"],
                    grids=list(form.cleaned_data["grids"]),
                    buildings=list(form.cleaned_data["buildings"]),
                    origin=Origin.from_request(request),
                )
            except ValidationError as error:
                form.add_error(None, error.messages)
            else:
                messages.success(request, _("已指派 %(n)s 处。") % {"n": len(made)})
                return redirect("sweeps:sweepers", pk=campaign.pk)
    context = {
        "campaign": campaign,
        "form": form,
        "may_assign": campaign.status != CampaignStatus.CLOSED and grids.exists(),
        "sweepers": sweepers_seen(request.user, campaign),
        "crumbs": [
            (_("扫楼清村"), reverse("sweeps:index")),
            (campaign.name, reverse("sweeps:campaign", args=[campaign.pk])),
            (_("扫楼人员"), None),
        ],
    }
    return render(request, "sweeps/sweepers.html", context, status=422 if form.errors else 200)
