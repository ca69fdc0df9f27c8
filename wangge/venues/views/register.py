"""The register: the list with its filters, a venue's page with its timeline, registering and
editing a venue, its staff, and a new venue code."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from wangge.accounts.authority import user_can
from wangge.accounts.http import SignedInRequest
from wangge.core.origin import Origin
from wangge.core.roles import Action
from wangge.venues.forms import StaffForm, VenueFilterForm, VenueForm
from wangge.venues.models import INSPECT, Venue, VenueStaff
from wangge.venues.selectors.register import (
    map_context,
    open_card,
    status_counts,
    venues_filtered,
    venues_for,
)
from wangge.venues.services.register import venue_code_reissue, venue_create, venue_update
from wangge.venues.services.staff import venue_staff_add, venue_staff_remove

PAGE_SIZE = 50


def _visible_or_404(request: SignedInRequest, pk: int, action: str = Action.VIEW) -> Venue:
    return get_object_or_404(venues_for(request.user, action), pk=pk)


def _sees_venues(request: SignedInRequest) -> bool:
    return user_can(request.user, Action.VIEW) or user_can(request.user, INSPECT)


@login_required
def index(request: SignedInRequest) -> HttpResponse:
    if not _sees_venues(request):
        raise PermissionDenied
    form = VenueFilterForm(request.GET or None, user=request.user)
    filters = form.cleaned_data if form.is_valid() else {}
    rows = venues_filtered(request.user, **{k: v for k, v in filters.items() if v})
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "counts": status_counts(request.user),
        "grid": filters.get("grid"),
        "may_add": user_can(request.user, Action.EDIT),
        "may_import": user_can(request.user, Action.IMPORT),
        "may_export": user_can(request.user, Action.EXPORT),
    }
    return render(request, "venues/index.html", context)


@login_required
def detail(request: SignedInRequest, pk: int) -> HttpResponse:
    venue = _visible_or_404(request, pk)
    context = {
        "venue": venue,
        "card": open_card(venue),
        "events": venue.events.select_related("by")[:100],
        "staff": venue.staff.select_related("person"),
        "staff_form": StaffForm(),
        "may_edit": venues_for(request.user, Action.EDIT).filter(pk=pk).exists(),
        "may_inspect": venues_for(request.user, INSPECT).filter(pk=pk).exists(),
    }
    return render(request, "venues/detail.html", context)


def _save(request: SignedInRequest, venue: Venue | None) -> HttpResponse:
    initial = VenueForm.initial_for(venue) if venue else None
    form = VenueForm(request.POST or None, initial=initial, user=request.user)
    if request.method == "POST" and form.is_valid():
        origin = Origin.from_request(request)
        try:
            if venue is None:
                venue = venue_create(by=request.user, data=form.data_object(), origin=origin)
            else:
                venue = venue_update(
                    by=request.user, venue_id=venue.pk, data=form.data_object(), origin=origin
                )
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                form.add_error(field if field in form.fields else None, problems)
        else:
            messages.success(request, f"已保存场所 {venue.name}")
            return redirect("venues:detail", venue.pk)
    context = {"form": form, "venue": venue, "map": map_context(request.user, venue)}
    return render(request, "venues/form.html", context, status=422 if form.errors else 200)


@login_required
def venue_new(request: SignedInRequest) -> HttpResponse:
    if not user_can(request.user, Action.EDIT):
        raise PermissionDenied
    return _save(request, None)


@login_required
def venue_edit(request: SignedInRequest, pk: int) -> HttpResponse:
    return _save(request, _visible_or_404(request, pk, Action.EDIT))


@login_required
@require_POST
def code_reissue(request: SignedInRequest, pk: int) -> HttpResponse:
    venue = _visible_or_404(request, pk, Action.EDIT)
    venue_code_reissue(by=request.user, venue_id=venue.pk, origin=Origin.from_request(request))
    messages.success(
        request, "已重新生成场所码，请重新打印张贴 / a new venue code: print the poster again"
    )
    return redirect("venues:detail", venue.pk)


@login_required
@require_POST
def staff_add(request: SignedInRequest, pk: int) -> HttpResponse:
    venue = _visible_or_404(request, pk, Action.EDIT)
    form = StaffForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写从业人员姓名 / the staff member needs a name")
        return redirect("venues:detail", venue.pk)
    try:
        venue_staff_add(
            by=request.user, venue=venue, origin=Origin.from_request(request), **form.cleaned_data
        )
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    return redirect("venues:detail", venue.pk)


@login_required
@require_POST
def staff_remove(request: SignedInRequest, pk: int) -> HttpResponse:
    member = get_object_or_404(
        VenueStaff.objects.restrict(request.user, Action.EDIT).select_related("venue"), pk=pk
    )
    venue_staff_remove(by=request.user, member=member, origin=Origin.from_request(request))
    return redirect("venues:detail", member.venue_id)
