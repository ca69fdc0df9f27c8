"""Browse the register: street → community → grid → building (compound) → household.

Every object is looked up through `.restrict(request.user, ...)`; outside the user's scope the
answer is 404, so a worker cannot even learn that an id exists in another grid.
"""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from wangge.accounts.authority import user_can
from wangge.colours.markers import with_markers
from wangge.colours.selectors import household_colour_panel
from wangge.core.decorators import register_required
from wangge.core.htmx import redirect_after_post
from wangge.core.origin import Origin
from wangge.core.shortcuts import get_visible_or_404
from wangge.front.browse.forms import HouseholdForm
from wangge.people import area_selectors
from wangge.people.models import Person
from wangge.people.services import household_update
from wangge.regions.models import Building, Community, Compound, Grid, Household, Street
from wangge.regions.selectors import annotate_counts
from wangge.residents.models import Vehicle
from wangge.residents.selectors import household_accounts

PAGE_SIZE = 50


def page_of(request: HttpRequest, rows: Any) -> Page:
    return Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))


@register_required
def index(request: HttpRequest) -> HttpResponse:
    """The streets in scope; with only one, go straight to it."""
    streets = list(Street.objects.restrict(request.user))
    if len(streets) == 1:
        return redirect("regions:street_detail", streets[0].pk)
    return render(request, "front/browse/index.html", {"streets": streets})


@register_required
def street_detail(request: HttpRequest, pk: int) -> HttpResponse:
    street = get_visible_or_404(Street, request.user, pk)
    communities = Community.objects.restrict(request.user).filter(street=street)
    rows = annotate_counts(
        list(communities), area_selectors.community_counts(request.user, communities)
    )
    return render(
        request,
        "front/browse/street_detail.html",
        {
            "street": street,
            "communities": rows,
            "crumbs": area_selectors.trail_for(request.user, street),
        },
    )


@register_required
def community_detail(request: HttpRequest, pk: int) -> HttpResponse:
    community = get_visible_or_404(Community, request.user, pk)
    grids = Grid.objects.restrict(request.user).filter(community=community)
    compounds = Compound.objects.restrict(request.user).filter(community=community)
    return render(
        request,
        "front/browse/community_detail.html",
        {
            "community": community,
            "grids": area_selectors.grids_with_counts(request.user, grids),
            "compounds": area_selectors.compounds_with_counts(request.user, compounds),
            "crumbs": area_selectors.trail_for(request.user, community),
        },
    )


@register_required
def grid_detail(request: HttpRequest, pk: int) -> HttpResponse:
    grid = get_visible_or_404(Grid, request.user, pk)
    small_grids = Grid.objects.restrict(request.user).filter(parent=grid)
    buildings = Building.objects.restrict(request.user).filter(grid=grid)
    page = page_of(request, buildings.select_related("compound"))
    return render(
        request,
        "front/browse/grid_detail.html",
        {
            "grid": grid,
            "small_grids": area_selectors.grids_with_counts(request.user, small_grids),
            "page": page,
            "buildings": area_selectors.buildings_with_counts(
                request.user, buildings.filter(pk__in=[b.pk for b in page])
            ),
            "crumbs": area_selectors.trail_for(request.user, grid),
        },
    )


@register_required
def compound_detail(request: HttpRequest, pk: int) -> HttpResponse:
    compound = get_visible_or_404(Compound, request.user, pk)
    buildings = Building.objects.restrict(request.user).filter(compound=compound)
    page = page_of(request, buildings)
    return render(
        request,
        "front/browse/compound_detail.html",
        {
            "compound": compound,
            "page": page,
            "buildings": area_selectors.buildings_with_counts(
                request.user, buildings.filter(pk__in=[b.pk for b in page])
            ),
            "crumbs": area_selectors.trail_for(request.user, compound),
        },
    )


@register_required
def building_detail(request: HttpRequest, pk: int) -> HttpResponse:
    building = get_visible_or_404(Building, request.user, pk)
    households = Household.objects.restrict(request.user).filter(building=building)
    page = page_of(request, households.select_related("landlord"))
    return render(
        request,
        "front/browse/building_detail.html",
        {
            "building": building,
            "page": page,
            "households": with_markers(
                area_selectors.households_with_counts(request.user, list(page))
            ),
            "crumbs": area_selectors.trail_for(request.user, building),
        },
    )


@register_required
def household_detail(request: HttpRequest, pk: int) -> HttpResponse:
    household = get_visible_or_404(Household, request.user, pk)
    members = (
        Person.objects.restrict(request.user)
        .filter(household=household)
        .prefetch_related("tags")
        .order_by(area_selectors.relation_order(), "pk")
    )
    landlord = household.landlord
    return render(
        request,
        "front/browse/household_detail.html",
        {
            "household": household,
            "members": members,
            "landlord_visible": landlord is not None and user_can(request.user, "view", landlord),
            "can_edit": user_can(request.user, "edit", household),
            "vehicles": Vehicle.objects.restrict(request.user).filter(household=household),
            "colour_panel": household_colour_panel(request.user, household),
            "resident_accounts": household_accounts(request.user, household),
            "crumbs": area_selectors.trail_for(request.user, household),
        },
    )


@register_required
def household_edit(request: HttpRequest, pk: int) -> HttpResponse:
    household = get_visible_or_404(Household, request.user, pk)
    if not user_can(request.user, "edit", household):
        raise PermissionDenied
    form = HouseholdForm(request.POST or None, user=request.user, household=household)
    if request.method == "POST" and form.is_valid():
        try:
            household_update(
                by=request.user,
                household=household,
                kind=form.cleaned_data["kind"],
                landlord=form.landlord(),
                note=form.cleaned_data["note"],
                origin=Origin.from_request(request),
            )
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                target = "landlord_id_number" if field == "landlord" else field
                for message in messages:
                    form.add_error(target if target in form.fields else None, message)
        else:
            return redirect_after_post(
                request, reverse("regions:household_detail", args=[household.pk])
            )
    status = 422 if form.is_bound and form.errors else 200
    return render(
        request,
        "front/browse/household_form.html",
        {
            "household": household,
            "form": form,
            "crumbs": area_selectors.trail_for(request.user, household),
        },
        status=status,
    )
