"""队伍: the hub (teams by kind with their colour, counts and hours; the queue of sign-ups to
confirm), setting up a team, and deciding a sign-up."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from wangge.accounts.authority import user_can
from wangge.accounts.http import SignedInRequest
from wangge.core.decorators import register_required
from wangge.core.origin import Origin
from wangge.core.roles import Action
from wangge.teams.forms import DecideForm, TeamForm
from wangge.teams.selectors import pending_signups, teams_by_kind
from wangge.teams.services import member_decide, team_create
from wangge.teams.views.common import member_or_404, refusal_add


@register_required
def hub(request: SignedInRequest) -> HttpResponse:
    context = {
        "groups": teams_by_kind(request.user),
        "pending": pending_signups(request.user)[:100],
        "may_edit": user_can(request.user, Action.EDIT),
        "decide_form": DecideForm(),
    }
    return render(request, "teams/hub.html", context)


@register_required
@require_http_methods(["GET", "POST"])
def team_new(request: SignedInRequest) -> HttpResponse:
    form = TeamForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            team = team_create(
                by=request.user, origin=Origin.from_request(request), **form.cleaned_data
            )
        except ValidationError as error:
            refusal_add(form, error)
        else:
            messages.success(request, f"已建立队伍：{team.name}")
            return redirect("teams:team", team.pk)
    context = {"form": form, "crumbs": [("队伍", reverse("teams:hub")), ("新建队伍", "")]}
    return render(request, "teams/team_form.html", context, status=422 if form.errors else 200)


@register_required
@require_POST
def decide(request: SignedInRequest, pk: int) -> HttpResponse:
    """Confirm or decline a pending sign-up (EDIT on the team's area; else 404)."""
    member = member_or_404(request.user, pk, Action.EDIT)
    form = DecideForm(request.POST)
    if form.is_valid():
        try:
            member_decide(
                by=request.user,
                member=member,
                confirm=form.cleaned_data["decision"] == "confirm",
                reason=form.cleaned_data["reason"],
                origin=Origin.from_request(request),
            )
        except ValidationError as error:
            messages.error(request, "；".join(error.messages))
        else:
            messages.success(request, f"已处理：{member.name}")
    next_url = request.POST.get("next", "")
    if next_url == "team":
        return redirect("teams:team", member.team_id)
    return redirect(f"{reverse('teams:hub')}#pending")
