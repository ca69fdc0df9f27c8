"""The grid worker's side of 防疫登记 (/residents/registrations/…): the queue of the registrations
of their area (waiting ones first), one registration beside the register with confirm and
reject, and the form to register a household on a resident's behalf."""

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from wangge.accounts.http import SignedInRequest
from wangge.core.api import integer_id
from wangge.core.decorators import action_required, register_required
from wangge.core.origin import Origin
from wangge.core.roles import Action
from wangge.regions.models import Building, Household
from wangge.residents import registration_selectors as reads
from wangge.residents import services
from wangge.residents.models import Registration
from wangge.residents.views.registration_form import (
    buildings_for,
    error_messages,
    form_context,
    posted_input,
)


def _visible(request: SignedInRequest, pk: int) -> Registration:
    rows = Registration.objects.restrict(request.user, Action.VIEW).select_related(
        "household__building__compound", "building__compound", "grid", "account", "by"
    )
    return get_object_or_404(rows, pk=pk)


@register_required
@require_GET
def queue(request: SignedInRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    rows = reads.queue(request.user, status)
    context = {
        "page": Paginator(rows, 50).get_page(request.GET.get("page")),
        "status": status,
        "statuses": Registration.Status.choices,
        "may_register": Building.objects.restrict(request.user, Action.EDIT).exists(),
    }
    return render(request, "residents/registration/staff_queue.html", context)


def _detail(
    request: SignedInRequest, registration: Registration, status: int = 200
) -> HttpResponse:
    may_decide = (
        registration.is_open
        and Registration.objects.restrict(request.user, Action.EDIT)
        .filter(pk=registration.pk)
        .exists()
    )
    context = {
        "registration": registration,
        "rows": reads.comparison(registration),
        "plates": registration.vehicles.all(),
        "vehicles": reads.vehicles_of(registration.household_id),
        "proxied": [row.name for row in registration.members.filter(proxied=True)],
        "may_decide": may_decide,
    }
    return render(request, "residents/registration/staff_detail.html", context, status=status)


@register_required
@require_GET
def detail(request: SignedInRequest, pk: int) -> HttpResponse:
    return _detail(request, _visible(request, pk))


def _decided(
    request: SignedInRequest, pk: int, decide: Callable[[Registration], None], done: str
) -> HttpResponse:
    """Run one decision; a refusal is shown on the registration's page, nothing written."""
    try:
        decide(_visible(request, pk))
    except ValidationError as error:
        for message in error_messages(error):
            messages.error(request, message)
        return _detail(request, _visible(request, pk), status=400)
    messages.success(request, done)
    return redirect("residents:registrations")


@register_required
@require_POST
def confirm(request: SignedInRequest, pk: int) -> HttpResponse:
    def decide(registration: Registration) -> None:
        services.registration_confirm(
            by=request.user,
            registration=registration,
            note=request.POST.get("note", ""),
            without_landlord=request.POST.get("without_landlord") == "1",
            origin=Origin.from_request(request),
        )

    return _decided(request, pk, decide, _("已确认，登记册已更新"))


@register_required
@require_POST
def reject(request: SignedInRequest, pk: int) -> HttpResponse:
    def decide(registration: Registration) -> None:
        services.registration_reject(
            by=request.user,
            registration=registration,
            reason=request.POST.get("reason", ""),
            origin=Origin.from_request(request),
        )

    return _decided(request, pk, decide, _("已退回，居民可看到原因"))


@action_required(Action.EDIT)
@require_http_methods(["GET", "POST"])
def on_behalf(request: SignedInRequest) -> HttpResponse:
    """代登记: for a household of the worker's area (`?household=`), or a new home in one of
    the buildings of their area."""
    raw = request.GET.get("household", "").strip()
    household = None
    if raw:
        try:
            household_id = integer_id(raw)
        except ValueError as error:
            raise Http404 from error
        households = Household.objects.restrict(request.user, Action.EDIT)
        household = get_object_or_404(households, pk=household_id)
    errors: list[str] = []
    if request.method == "POST":
        try:
            registration = services.registration_submit(
                account=None,
                by=request.user,
                data=posted_input(request, household_id=household.pk if household else None),
                origin=Origin.from_request(request),
            )
        except ValidationError as error:
            errors = error_messages(error)
        else:
            return redirect("residents:registration", pk=registration.pk)
    context = form_context(request, household, errors=errors)
    if household is None:
        compound = int(context["compound"] or 0) or None
        rows = Building.objects.restrict(request.user, Action.EDIT)
        context["buildings"] = buildings_for(compound, rows)
    status = 400 if errors else 200
    return render(request, "residents/registration/staff_form.html", context, status=status)
