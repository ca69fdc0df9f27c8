"""A team's page: its members with masked phones, skills, availability and hours; editing the
team and entering a member."""

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
from wangge.people.models import Person
from wangge.teams.forms import DecideForm, MemberAddForm, TeamForm
from wangge.teams.models import Team
from wangge.teams.selectors import members_with_hours, staff_of
from wangge.teams.services import member_add, team_update
from wangge.teams.views.common import refusal_add, team_or_404


def _crumbs(team: Team, *more: tuple[str, str]) -> list[tuple[str, str]]:
    return [
        ("队伍", reverse("teams:hub")),
        (team.name, reverse("teams:team", args=[team.pk])),
        *more,
    ]


@register_required
def team(request: SignedInRequest, pk: int) -> HttpResponse:
    shown = team_or_404(request.user, pk)
    may_edit = user_can(request.user, Action.EDIT, shown)
    context = {
        "team": shown,
        "members": members_with_hours(shown),
        "may_edit": may_edit,
        "add_form": MemberAddForm(staff=staff_of(shown)) if may_edit else None,
        "decide_form": DecideForm(),
        "crumbs": _crumbs(shown)[:-1] + [(shown.name, "")],
    }
    return render(request, "teams/team.html", context)


@register_required
@require_http_methods(["GET", "POST"])
def team_edit(request: SignedInRequest, pk: int) -> HttpResponse:
    shown = team_or_404(request.user, pk, Action.EDIT)
    initial = {
        "name": shown.name,
        "kind": shown.kind,
        "community": shown.community_id,
        "colour": shown.colour,
        "description": shown.description,
        "open_signup": shown.open_signup,
    }
    form = TeamForm(request.POST or None, initial=initial, user=request.user)
    form.fields["community"].disabled = True
    if request.method == "POST" and form.is_valid():
        values = {key: value for key, value in form.cleaned_data.items() if key != "community"}
        try:
            team_update(by=request.user, team=shown, origin=Origin.from_request(request), **values)
        except ValidationError as error:
            refusal_add(form, error)
        else:
            return redirect("teams:team", shown.pk)
    context = {"form": form, "team": shown, "crumbs": _crumbs(shown, ("修改", ""))}
    return render(request, "teams/team_form.html", context, status=422 if form.errors else 200)


@register_required
@require_POST
def member_new(request: SignedInRequest, pk: int) -> HttpResponse:
    """Enter a member: a person of the register by id, a staff user, or a name and phone."""
    shown = team_or_404(request.user, pk, Action.EDIT)
    form = MemberAddForm(request.POST, staff=staff_of(shown))
    if form.is_valid():
        values = dict(form.cleaned_data)
        person_id = values.pop("person")
        person = None
        if person_id:
            person = Person.objects.restrict(request.user, Action.VIEW).filter(pk=person_id).first()
            if person is None:
                form.add_error("person", "底册中无此人员 / no such person in your area")
        if not form.errors:
            try:
                member = member_add(
                    by=request.user,
                    team=shown,
                    person=person,
                    origin=Origin.from_request(request),
                    **values,
                )
            except ValidationError as error:
                refusal_add(form, error)
            else:
                messages.success(request, f"已加入：{member.name}")
                return redirect("teams:team", shown.pk)
    context = {
        "team": shown,
        "members": members_with_hours(shown),
        "may_edit": True,
        "add_form": form,
        "decide_form": DecideForm(),
        "crumbs": _crumbs(shown)[:-1] + [(shown.name, "")],
    }
    return render(request, "teams/team.html", context, status=422)
