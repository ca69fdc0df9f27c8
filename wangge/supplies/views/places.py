"""库点 pages: the places a user sees, a new place of the street or a community, a place's page
(stock by item with its batches, expired and soon-expiring batches marked, the low-stock line)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from wangge.accounts.authority import areas_held, user_can
from wangge.accounts.http import SignedInRequest
from wangge.accounts.models import User
from wangge.checkpoints.models import Checkpoint
from wangge.core.origin import Origin
from wangge.core.roles import Action
from wangge.regions.models import Community, Street
from wangge.supplies.forms.catalogue import PlaceForm
from wangge.supplies.models import Place
from wangge.supplies.selectors.stock import EXPIRING_DAYS, may_move, place_stock, places_for
from wangge.supplies.services.catalogue import place_save
from wangge.supplies.views.common import place_or_404, refusal_add


def _areas(user: User) -> list[tuple[str, str]]:
    """The streets and communities `user` manages places of, as `s<id>` / `c<id>`."""
    areas = [(f"s{s.pk}", s.name) for s in areas_held(user, Action.EDIT, Street)]
    areas += [
        (f"c{c.pk}", f"{c.street.name} · {c.name}")
        for c in areas_held(user, Action.EDIT, Community).select_related("street")
    ]
    return areas


def _area(user: User, value: str) -> tuple[Street | None, Community | None]:
    kind, number = value[:1], value[1:]
    if kind == "s":
        return areas_held(user, Action.EDIT, Street).filter(pk=number).first(), None
    community = areas_held(user, Action.EDIT, Community).filter(pk=number).first()
    return (community.street if community else None), community


def _form(request: SignedInRequest, areas: list | None, **initial: object) -> PlaceForm:
    return PlaceForm(
        request.POST or None,
        initial=initial or None,
        areas=areas,
        checkpoints=Checkpoint.objects.restrict(request.user, Action.VIEW).order_by("name"),
        keepers=User.objects.restrict(request.user, Action.VIEW).filter(is_active=True),
    )


@login_required
def places(request: SignedInRequest) -> HttpResponse:
    if not user_can(request.user, Action.VIEW):
        raise PermissionDenied
    context = {
        "places": places_for(request.user).select_related("keeper"),
        "can_add": bool(_areas(request.user)),
    }
    return render(request, "supplies/places.html", context)


def _save(request: SignedInRequest, form: PlaceForm, place: Place | None) -> Place | None:
    if request.method != "POST" or not form.is_valid():
        return None
    values = dict(form.cleaned_data)
    street, community = (place.street, place.community) if place else (None, None)
    if place is None:
        street, community = _area(request.user, values.pop("area"))
    if street is None:
        raise PermissionDenied
    try:
        return place_save(
            by=request.user,
            street=street,
            community=community,
            values=values,
            place=place,
            origin=Origin.from_request(request),
        )
    except ValidationError as error:
        refusal_add(form, error)
    return None


@login_required
@require_http_methods(["GET", "POST"])
def place_new(request: SignedInRequest) -> HttpResponse:
    areas = _areas(request.user)
    if not areas:
        raise PermissionDenied
    form = _form(request, areas)
    place = _save(request, form, None)
    if place is not None:
        return redirect("supplies:place", place.pk)
    status = 422 if form.errors else 200
    return render(request, "supplies/place_form.html", {"form": form}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def place_edit(request: SignedInRequest, pk: int) -> HttpResponse:
    place = place_or_404(request.user, pk)
    if not may_move(request.user, place):
        raise PermissionDenied
    fields = ("name", "kind", "address", "checkpoint", "keeper", "active")
    form = _form(request, None, **{name: getattr(place, name) for name in fields})
    if _save(request, form, place) is not None:
        return redirect("supplies:place", place.pk)
    context = {"form": form, "place": place}
    return render(request, "supplies/place_form.html", context, status=422 if form.errors else 200)


@login_required
def place(request: SignedInRequest, pk: int) -> HttpResponse:
    row = place_or_404(request.user, pk)
    context = {
        "place": row,
        "lines": place_stock(row),
        "can_move": may_move(request.user, row),
        "expiring_days": EXPIRING_DAYS,
    }
    return render(request, "supplies/place.html", context)
