"""The home page: what each role needs first. Commanders (and admins) get today's situation;
tracers the street's communities; community and grid workers their grids; doctors and police
the persons assigned to them; checkpoint staff and inspectors a pointer to their own tools."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from wangge.accounts.authority import user_can
from wangge.accounts.http import SignedInRequest
from wangge.accounts.selectors import audit_entries_for, held_roles
from wangge.core.forms import AuditFilterForm
from wangge.core.roles import PERSON_ROLES, Role
from wangge.core.selectors import audit_filter
from wangge.front import selectors
from wangge.front.tiles import tiles_for
from wangge.front.today import Today
from wangge.front.trends import charts
from wangge.notify.calls import open_calls
from wangge.people.area_selectors import grids_with_counts
from wangge.people.selectors import assigned_persons

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
        context["open_calls"] = open_calls(user).values("household").distinct().count()
    if roles & PERSON_ROLES:
        context["assigned"] = Paginator(assigned_persons(user), PAGE_SIZE).get_page(
            request.GET.get("page")
        )
    return render(request, "front/home.html", context)


@login_required
def audit(request: HttpRequest) -> HttpResponse:
    """The audit log for commanders and admins; see `audit_entries_for` for who reads what."""
    if not user_can(request.user, "audit"):
        raise PermissionDenied
    form = AuditFilterForm(request.GET or None)
    entries = audit_entries_for(request.user)
    if form.is_valid():
        entries = audit_filter(entries, **form.cleaned_data)
    elif form.is_bound:
        entries = entries.none()
    page = Paginator(entries.select_related("actor"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "front/audit.html", {"form": form, "page": page})
