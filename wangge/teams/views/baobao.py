"""包保 pages: the 五包一 / 六包一 teams of the households under a measure, grid by grid, with
their gaps; one household's 四级 chain and team, with the forms to assign and to end."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from wangge.accounts.authority import user_can
from wangge.accounts.http import SignedInRequest
from wangge.core.decorators import register_required
from wangge.core.origin import Origin
from wangge.core.roles import Action
from wangge.people.models import Assignment, Duty
from wangge.regions.models import Grid, Household
from wangge.teams.selectors.baobao import (
    SCHEMES,
    chain,
    household_teams,
    measured_households,
)
from wangge.teams.services.baobao import baobao_assign, baobao_end
from wangge.teams.views.forms import AssignForm


def _scheme(request: SignedInRequest) -> str:
    scheme = request.GET.get("scheme", "five")
    return scheme if scheme in SCHEMES else "five"


@register_required
def index(request: SignedInRequest) -> HttpResponse:
    grids = Grid.objects.restrict(request.user).select_related("community").order_by("pk")
    raw = request.GET.get("grid", "")
    grid = grids.filter(pk=raw).first() if raw.isdigit() and len(raw) < 19 else None
    scheme = _scheme(request)
    teams = household_teams(measured_households(request.user, grid), scheme)
    by_grid: dict[Any, list] = {}
    for team in teams:
        by_grid.setdefault(team.household.grid, []).append(team)
    label, duties = SCHEMES[scheme]
    context = {
        "grids": grids,
        "grid": grid,
        "scheme": scheme,
        "schemes": {code: name for code, (name, _d) in SCHEMES.items()},
        "scheme_label": label,
        "duties": [(duty, Duty(duty).label) for duty in duties],
        "by_grid": by_grid,
        "total": len(teams),
        "full": sum(1 for team in teams if team.full),
    }
    return render(request, "teams/baobao.html", context)


@register_required
def household(request: SignedInRequest, pk: int) -> HttpResponse:
    home = get_object_or_404(
        Household.objects.restrict(request.user).select_related(
            "grid__community", "building__compound"
        ),
        pk=pk,
    )
    form = AssignForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        target = {"household": home, "building": home.building, "grid": home.grid}[
            form.cleaned_data["target"]
        ]
        try:
            if target is None:
                raise ValidationError("该户没有楼栋 / this household has no building")
            baobao_assign(
                by=request.user,
                target=target,
                holder=form.cleaned_data["holder"],
                duty=form.cleaned_data["duty"],
                origin=Origin.from_request(request),
            )
        except (ValidationError, PermissionDenied) as error:
            form.add_error(None, getattr(error, "messages", None) or str(error))
        else:
            return redirect(reverse("teams:baobao_household", args=[home.pk]))
    teams = {code: household_teams([home], code)[0] for code in SCHEMES}
    context = {
        "household": home,
        "levels": chain(home),
        "teams": [(SCHEMES[code][0], team) for code, team in teams.items()],
        "rows": _rows(home),
        "form": form,
        "can_edit": user_can(request.user, Action.EDIT, home),
    }
    return render(request, "teams/baobao_household.html", context)


def _rows(home: Household) -> list[Assignment]:
    """The active assignments on the household, its persons, its building and its grid."""
    places = Q(household=home) | Q(person__household=home) | Q(grid=home.grid_id)
    if home.building_id:
        places |= Q(building=home.building_id)
    rows = (
        Assignment.objects.active()
        .filter(places)
        .select_related("holder_user", "holder_person", "person")
        .order_by("duty", "pk")
    )
    return list(rows)


@login_required
@require_POST
def end(request: SignedInRequest, pk: int) -> HttpResponse:
    assignment = get_object_or_404(Assignment.objects.restrict(request.user), pk=pk)
    try:
        baobao_end(by=request.user, assignment=assignment, origin=Origin.from_request(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    household_id = request.POST.get("household", "")
    if household_id.isdigit() and len(household_id) < 19:
        return redirect(reverse("teams:baobao_household", args=[int(household_id)]))
    return redirect(reverse("teams:baobao"))
