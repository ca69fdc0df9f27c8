"""五色 pages: the street's colour table and chart, a grid's buildings by colour, the households of
one colour, the compound and
building floor plans (and their printable SVG), and a household's manual colour.

Every object is looked up through `.restrict(request.user, ...)`: 404 outside scope. Writes go
through the services in colours/overrides.py and colours/services.py.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from wangge.accounts.authority import holds
from wangge.colours.floorplan import INTERNAL, PUBLIC, build_plan
from wangge.colours.floorplan_svg import building_svg, marker_defs
from wangge.colours.forms import (
    LiftForm,
    OverrideForm,
    PrintForm,
    PublicPlanSwitchForm,
    add_service_errors,
)
from wangge.colours.overrides import (
    colour_override_lift,
    colour_override_set,
    may_override,
    public_plan_switch_lift,
    public_plan_switch_set,
)
from wangge.colours.selectors import (
    CountRow,
    colour_counts,
    colour_totals,
    legend,
    street_colour_tables,
)
from wangge.colours.services import plan_print
from wangge.core.csp import allow_style_elements
from wangge.core.decorators import register_required
from wangge.core.htmx import redirect_after_post
from wangge.core.origin import Origin
from wangge.core.roles import Action
from wangge.core.shortcuts import get_visible_or_404
from wangge.people.area_selectors import trail_for
from wangge.regions.choices import HouseholdColour
from wangge.regions.models import (
    AreaColour,
    Building,
    Compound,
    Grid,
    Household,
    HouseholdColourOverride,
    Street,
)
from wangge.regions.overrides import public_plan_switch_in_force
from wangge.regions.zones import zones_for_compound


@register_required
def index(request: HttpRequest) -> HttpResponse:
    streets = list(Street.objects.restrict(request.user))
    if len(streets) == 1:
        return redirect("colours:street", streets[0].pk)
    return render(request, "colours/index.html", {"streets": streets})


@register_required
def street(request: HttpRequest, pk: int) -> HttpResponse:
    """Households per colour for each community and grid of the street: a table and a chart."""
    street = get_visible_or_404(Street, request.user, pk)
    context = {
        "street": street,
        "legend": legend(),
        "crumbs": trail_for(request.user, street),
        **street_colour_tables(request.user, street),
    }
    return render(request, "colours/street.html", context)


@register_required
def households(request: HttpRequest) -> HttpResponse:
    """The households of one colour (?colour=red) the user may see, in stairwell order: the list
    behind each colour count of the commander's home."""
    colour = request.GET.get("colour", "")
    rows = Household.objects.restrict(request.user).select_related("building__compound", "grid")
    rows = rows.filter(colour=colour) if colour in HouseholdColour.values else rows.none()
    ordered = rows.order_by(
        "grid__community__name", "building__compound__name", "building__name", "unit", "room", "pk"
    )
    context = {
        "page": Paginator(ordered, 50).get_page(request.GET.get("page")),
        "colour": colour,
        "legend": legend(),
    }
    return render(request, "colours/households.html", context)


@register_required
def grid(request: HttpRequest, pk: int) -> HttpResponse:
    """A grid (with its small grids) by building: households per colour."""
    grid = get_visible_or_404(Grid, request.user, pk)
    households = Household.objects.restrict(request.user).filter(
        Q(grid=grid) | Q(grid__parent=grid)
    )
    by_building = colour_counts(households, "building")
    buildings = (
        Building.objects.restrict(request.user)
        .filter(pk__in=households.values("building"))
        .select_related("compound")
        .order_by("compound__name", "sort_key", "pk")
    )
    rows = [
        CountRow(
            f"{b.compound.name}{b.name}",
            reverse("colours:building", args=[b.pk]),
            by_building[b.pk],
        )
        for b in buildings
    ]
    context = {
        "grid": grid,
        "rows": rows,
        "totals": CountRow(grid.name, None, colour_totals(households)),
        "legend": legend(),
        "crumbs": trail_for(request.user, grid),
    }
    return render(request, "colours/grid.html", context)


def _plan_page(
    request: HttpRequest,
    compound: Compound,
    buildings: QuerySet[Building],
    crumbs_of: Compound | Building,
) -> HttpResponse:
    plan = build_plan(
        user=request.user, compound=compound, buildings=buildings, version=INTERNAL, clickable=True
    )
    switch = public_plan_switch_in_force(compound)
    context = {
        "compound": compound,
        "plan": plan,
        "drawings": [(b, mark_safe(building_svg(b))) for b in plan.buildings],
        "marker_defs": mark_safe(marker_defs()),
        "legend": legend(),
        "zones": zones_for_compound(compound),
        "risk_colour": AreaColour.objects.current().filter(compound=compound).first(),
        "switch": switch,
        "may_switch": holds(request.user, Action.EDIT, compound.community.street),
        "switch_form": PublicPlanSwitchForm(),
        "print_versions": [(INTERNAL, _("内部版")), (PUBLIC, _("张贴版"))],
        "papers": ["a4", "a3"],
        "single": len(plan.buildings) == 1 and isinstance(crumbs_of, Building),
        "crumbs": trail_for(request.user, crumbs_of),
    }
    return render(request, "colours/plan.html", context)


@register_required
def compound_plan(request: HttpRequest, pk: int) -> HttpResponse:
    compound = get_visible_or_404(Compound, request.user, pk)
    buildings = Building.objects.restrict(request.user).filter(compound=compound)
    return _plan_page(request, compound, buildings, compound)


@register_required
def building_plan(request: HttpRequest, pk: int) -> HttpResponse:
    building = get_visible_or_404(Building, request.user, pk)
    buildings = Building.objects.restrict(request.user).filter(pk=building.pk)
    return _plan_page(request, building.compound, buildings, building)


@allow_style_elements
@register_required
def plan_svg(request: HttpRequest, pk: int) -> HttpResponse:
    """The printable plan of a compound (or of one building: ?building=id), internal or
    notice-board version, A4 or A3. Each download is audited as an export."""
    compound = get_visible_or_404(Compound, request.user, pk)
    form = PrintForm(request.GET)
    form.is_valid()
    version = form.cleaned_data.get("version") or INTERNAL
    paper = form.cleaned_data.get("paper") or "a4"
    buildings = Building.objects.restrict(request.user).filter(compound=compound)
    building_id = request.GET.get("building", "")
    if building_id.isdigit():
        buildings = buildings.filter(pk=int(building_id))
    svg = plan_print(
        by=request.user,
        compound=compound,
        buildings=buildings,
        version=version,
        paper=paper,
        origin=Origin.from_request(request),
    )
    response = HttpResponse(svg, content_type="image/svg+xml")
    name = f"plan-{compound.pk}-{version}-{paper}.svg"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


@register_required
@require_POST
def public_switch(request: HttpRequest, pk: int) -> HttpResponse:
    compound = get_visible_or_404(Compound, request.user, pk)
    url = reverse("colours:compound", args=[compound.pk])
    if request.POST.get("lift"):
        public_plan_switch_lift(
            by=request.user, compound=compound, origin=Origin.from_request(request)
        )
        return redirect_after_post(request, url)
    form = PublicPlanSwitchForm(request.POST)
    if form.is_valid():
        try:
            public_plan_switch_set(
                by=request.user,
                compound=compound,
                origin=Origin.from_request(request),
                **form.cleaned_data,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect_after_post(request, url)
    return render(
        request,
        "colours/switch_form.html",
        {"compound": compound, "form": form, "crumbs": trail_for(request.user, compound)},
        status=422,
    )


@register_required
def override_set(request: HttpRequest, pk: int) -> HttpResponse:
    """Set a household's colour by hand (community or street staff), with reason and expiry."""
    household = get_visible_or_404(Household, request.user, pk, "edit")
    form = OverrideForm(request.POST or None, initial={"colour": household.colour})
    if request.method == "POST" and form.is_valid():
        try:
            colour_override_set(
                by=request.user,
                household=household,
                origin=Origin.from_request(request),
                **form.cleaned_data,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect_after_post(
                request, reverse("regions:household_detail", args=[household.pk])
            )
    context = {
        "household": household,
        "form": form,
        "allowed": may_override(request.user, household),
        "crumbs": trail_for(request.user, household),
    }
    status = 422 if form.is_bound and form.errors else 200
    return render(request, "colours/override_form.html", context, status=status)


@register_required
@require_POST
def override_lift(request: HttpRequest, pk: int) -> HttpResponse:
    override = get_visible_or_404(HouseholdColourOverride, request.user, pk, "edit")
    form = LiftForm(request.POST)
    form.is_valid()
    try:
        colour_override_lift(
            by=request.user,
            override=override,
            reason=form.cleaned_data.get("reason", ""),
            origin=Origin.from_request(request),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect_after_post(
        request, reverse("regions:household_detail", args=[override.household_id])
    )
