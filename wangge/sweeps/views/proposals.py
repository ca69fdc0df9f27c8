"""The grid worker's queue of what the visits found (/sweeps/proposals/), household by household,
each finding with the answer it came from and what confirming would change; confirm (a newcomer
with the ID number seen) or reject with a reason."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from wangge.accounts.authority import user_can
from wangge.accounts.http import SignedInRequest
from wangge.core.decorators import register_required
from wangge.core.identity import IdType
from wangge.core.origin import Origin
from wangge.core.roles import Action
from wangge.people.models import Person
from wangge.sweeps.models import Proposal, ProposalStatus
from wangge.sweeps.selectors.proposals import grouped, proposals_for
from wangge.sweeps.services.proposals import Identity, proposal_confirm, proposal_reject

PAGE_SIZE = 50


@register_required
@require_GET
def queue(request: SignedInRequest) -> HttpResponse:
    status = request.GET.get("status", ProposalStatus.PROPOSED)
    if status not in ProposalStatus.values:
        status = ""
    page = Paginator(proposals_for(request.user, status), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "page": page,
        "households": grouped(list(page)),
        "status": status,
        "statuses": ProposalStatus.choices,
        "may_decide": user_can(request.user, Action.EDIT),
        "relations": Person.Relation.choices,
        "id_types": IdType.choices,
        "crumbs": [(_("走访发现"), None)],
    }
    return render(request, "sweeps/proposals.html", context)


def _decide(request: SignedInRequest, pk: int, confirm: bool) -> HttpResponse:
    proposal = get_object_or_404(Proposal.objects.restrict(request.user, Action.VIEW), pk=pk)
    origin = Origin.from_request(request)
    try:
        if confirm:
            id_type, relation = request.POST.get("id_type"), request.POST.get("relation")
            identity = Identity(
                id_number=request.POST.get("id_number", ""),
                id_type=id_type if id_type in IdType.values else IdType.RESIDENT,
                relation=relation if relation in Person.Relation.values else Person.Relation.OTHER,
            )
            proposal_confirm(by=request.user, proposal=proposal, identity=identity, origin=origin)
            messages.success(request, _("已确认"))
        else:
            reason = request.POST.get("reason", "")
            proposal_reject(by=request.user, proposal=proposal, reason=reason, origin=origin)
            messages.success(request, _("已驳回"))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect("sweeps:proposals")


@register_required
@require_POST
def confirm(request: SignedInRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, confirm=True)


@register_required
@require_POST
def reject(request: SignedInRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, confirm=False)
