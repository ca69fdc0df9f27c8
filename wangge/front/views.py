"""The home page: what each role needs first. Commanders (and admins) get today's situation;
tracers the street's communities; community and grid workers their grids; doctors and police
the persons assigned to them; checkpoint staff and inspectors a pointer to their own tools."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from wangge.accounts.http import SignedInRequest
from wangge.accounts.selectors import held_roles
from wangge.core.roles import PERSON_ROLES, Role
from wangge.core.scoping import user_can
from wangge.front import selectors
from wangge.front.tiles import tiles_for
from wangge.front.today import Today
from wangge.front.trends import charts
from wangge.people.selectors import assigned_persons
from wangge.regions.selectors import grids_with_counts

PAGE_SIZE = 50
SITUATION_ROLES = {Role.ADMIN, Role.COMMANDER}


@login_required
def home(request: SignedInRequest) -> HttpResponse:
    user = request.user
    roles = held_roles(user)
    context: dict = {"sees_register": user_can(user, "view")}
    if roles & SITUATION_ROLES:
        today = Today(user=user, now=timezone.now())
        context["situation"] = {"today": today, "tiles": tiles_for(today), "charts": charts(today)}
    elif Role.TRACER in roles:
        communities = selectors.street_overview(user)
        context["overview"] = communities
        context["overview_totals"] = {
            "communities": len(communities),
            "grids": sum(c.n_children for c in communities),  # type: ignore[attr-defined]  # set by annotate_counts
            "households": sum(c.n_households for c in communities),  # type: ignore[attr-defined]  # set by annotate_counts
            "persons": sum(c.n_persons for c in communities),  # type: ignore[attr-defined]  # set by annotate_counts
        }
    if Role.COMMUNITY_WORKER in roles:
        grids = selectors.own_grids(user, Role.COMMUNITY_WORKER)
        context["community_grids"] = grids_with_counts(user, grids)
    if Role.GRID_WORKER in roles:
        grids = selectors.own_grids(user, Role.GRID_WORKER)
        context["my_grids"] = grids_with_counts(user, grids)
        context["my_buildings"] = selectors.grid_buildings(user, grids)
    if roles & PERSON_ROLES:
        context["assigned"] = Paginator(assigned_persons(user), PAGE_SIZE).get_page(
            request.GET.get("page")
        )
    return render(request, "front/home.html", context)
