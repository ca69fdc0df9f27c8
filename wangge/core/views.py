"""The shared pages: the home page per role, the alert inbox and the audit log."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wangge.core.forms import AlertReadForm, AuditFilterForm
from wangge.core.roles import PERSON_ROLES, Role
from wangge.core.scoping import user_can
from wangge.core.selectors import audit_entries_for, audit_filter
from wangge.core.services import alert_mark_read
from wangge.regions import selectors as registry

PAGE_SIZE = 50
STREET_ROLES = {Role.ADMIN, Role.COMMANDER, Role.TRACER}


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """What each role needs first: the street, the community's grids, the grid's buildings, or the
    persons assigned; checkpoint staff and inspectors get a pointer to their own tools."""
    user = request.user
    roles = registry.held_roles(user)
    context: dict = {"sees_register": user_can(user, "view")}
    if roles & STREET_ROLES:
        communities = registry.street_overview(user)
        context["overview"] = communities
        context["overview_totals"] = {
            "communities": len(communities),
            "grids": sum(c.n_children for c in communities),
            "households": sum(c.n_households for c in communities),
            "persons": sum(c.n_persons for c in communities),
        }
    if Role.COMMUNITY_WORKER in roles:
        grids = registry.own_grids(user, Role.COMMUNITY_WORKER)
        context["community_grids"] = registry.grids_with_counts(user, grids)
    if Role.GRID_WORKER in roles:
        grids = registry.own_grids(user, Role.GRID_WORKER)
        context["my_grids"] = registry.grids_with_counts(user, grids)
        context["my_buildings"] = registry.grid_buildings(user, grids)
    if roles & PERSON_ROLES:
        context["assigned"] = Paginator(registry.assigned_persons(user), PAGE_SIZE).get_page(
            request.GET.get("page")
        )
    return render(request, "core/home.html", context)


@login_required
def alerts(request: HttpRequest) -> HttpResponse:
    """The bell's inbox: newest first, unread ones marked."""
    page = Paginator(request.user.alerts.all(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "core/alerts.html", {"page": page})


@login_required
@require_POST
def alerts_read(request: HttpRequest) -> HttpResponse:
    form = AlertReadForm(request.POST)
    if form.is_valid():
        alert = form.cleaned_data["alert"]
        count = alert_mark_read(user=request.user, alert_ids=[alert] if alert else None)
        if not alert:
            messages.success(request, _("已将%(count)d条提醒标为已读") % {"count": count})
    return redirect("core:alerts")


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
    return render(request, "core/audit.html", {"form": form, "page": page})
