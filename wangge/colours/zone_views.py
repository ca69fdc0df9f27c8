"""三区 and 五色工作法 pages: control zones (list, declare, lift) and area risk colours (list and
chart, set, end). Lists are scoped; only the street command declares, lifts and sets."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from wangge.accounts.authority import areas_held, holds
from wangge.colours.area_colours import area_colour_end, area_colour_set
from wangge.colours.forms import (
    AreaColourForm,
    RequiredLiftForm,
    ZoneForm,
    add_service_errors,
)
from wangge.colours.zones import zone_declare, zone_lift
from wangge.core.decorators import register_required
from wangge.core.htmx import redirect_after_post
from wangge.core.origin import Origin
from wangge.core.roles import Action
from wangge.core.shortcuts import get_visible_or_404
from wangge.regions.area_colours import area_colour_counts
from wangge.regions.choices import AREA_COLOUR_HEX, AreaRiskColour
from wangge.regions.models import AreaColour, Building, Compound, Street, Zone


@register_required
def zones(request: HttpRequest) -> HttpResponse:
    """Zones in force first, then the lifted ones (the history), newest first."""
    visible = (
        Zone.objects.restrict(request.user)
        .select_related("street", "declared_by", "lifted_by")
        .prefetch_related(
            Prefetch("compounds", queryset=Compound.objects.restrict(request.user)),
            Prefetch(
                "buildings",
                queryset=Building.objects.restrict(request.user).select_related("compound"),
            ),
        )
    )
    now = timezone.now()
    in_force = [zone for zone in visible if zone.in_force(now)]
    ended = [zone for zone in visible if not zone.in_force(now)][:50]
    context = {
        "in_force": in_force,
        "ended": ended,
        "now": now,
        "may_declare": areas_held(request.user, Action.EDIT, Street).exists(),
    }
    return render(request, "colours/zones.html", context)


def _command_street(request: HttpRequest) -> Street:
    streets = list(areas_held(request.user, Action.EDIT, Street))
    if not streets:
        raise PermissionDenied
    chosen = request.GET.get("street") or request.POST.get("street")
    return next((s for s in streets if str(s.pk) == chosen), streets[0])


@register_required
def zone_new(request: HttpRequest) -> HttpResponse:
    street = _command_street(request)
    form = ZoneForm(request.POST or None, user=request.user, street=street)
    if request.method == "POST" and form.is_valid():
        try:
            zone = zone_declare(
                by=request.user,
                street=street,
                origin=Origin.from_request(request),
                **form.cleaned_data,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect_after_post(request, reverse("colours:zone", args=[zone.pk]))
    status = 422 if form.is_bound and form.errors else 200
    return render(
        request, "colours/zone_form.html", {"form": form, "street": street}, status=status
    )


@register_required
def zone_detail(request: HttpRequest, pk: int) -> HttpResponse:
    zone = get_visible_or_404(Zone, request.user, pk)
    form = RequiredLiftForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            zone_lift(
                by=request.user, zone=zone, origin=Origin.from_request(request), **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect_after_post(request, reverse("colours:zone", args=[zone.pk]))
    context = {
        "zone": zone,
        "form": form,
        "in_force": zone.in_force(),
        "may_lift": holds(request.user, Action.EDIT, zone.street),
        "compounds": zone.compounds.restrict(request.user),
        "buildings": zone.buildings.restrict(request.user).select_related("compound"),
    }
    status = 422 if form.is_bound and form.errors else 200
    return render(request, "colours/zone_detail.html", context, status=status)


@register_required
def area_colours(request: HttpRequest) -> HttpResponse:
    """Current area risk colours, grouped by colour, with a chart; the ended ones below."""
    visible = AreaColour.objects.restrict(request.user).select_related(
        "grid__community", "compound__community", "set_by"
    )
    counts = area_colour_counts(visible)
    current = list(visible.current().order_by("colour", "-set_on"))
    order = {colour: i for i, colour in enumerate(AreaRiskColour.values)}
    current.sort(key=lambda row: (order[row.colour], -row.set_on.toordinal()))
    chart = {
        "labels": [str(AreaRiskColour(c).label) for c in AreaRiskColour.values],
        "colours": [AREA_COLOUR_HEX[c] for c in AreaRiskColour.values],
        "data": [counts[c] for c in AreaRiskColour.values],
    }
    context = {
        "current": current,
        "history": visible.filter(ended_at__isnull=False)[:50],
        "chart": chart,
        "counts": [(AreaRiskColour(c).label, AREA_COLOUR_HEX[c], counts[c]) for c in counts],
        "may_set": areas_held(request.user, Action.EDIT, Street).exists(),
    }
    return render(request, "colours/areas.html", context)


@register_required
def area_colour_new(request: HttpRequest) -> HttpResponse:
    if not areas_held(request.user, Action.EDIT, Street).exists():
        raise PermissionDenied
    form = AreaColourForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            area_colour_set(
                by=request.user, origin=Origin.from_request(request), **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect_after_post(request, reverse("colours:areas"))
    status = 422 if form.is_bound and form.errors else 200
    return render(request, "colours/area_form.html", {"form": form}, status=status)


@register_required
def area_colour_stop(request: HttpRequest, pk: int) -> HttpResponse:
    area_colour = get_visible_or_404(AreaColour, request.user, pk)
    if request.method == "POST":
        try:
            area_colour_end(
                by=request.user, area_colour=area_colour, origin=Origin.from_request(request)
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    return redirect_after_post(request, reverse("colours:areas"))
