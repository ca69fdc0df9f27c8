"""The resident's 防疫登记 pages (/my/registration/…): the household as the register knows it and
its vehicles, the form to confirm or change it (or to register a home the register does not
have, `?compound=` from a compound's QR code), the resident's registrations with their status
and the reason of a refusal, and the tenants waiting for this resident as their landlord."""

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from wangge.core.origin import Origin
from wangge.residents import registration_selectors as reads
from wangge.residents import selectors, services
from wangge.residents.auth import resident_required
from wangge.residents.models import Registration
from wangge.residents.views.registration_form import (
    buildings_for,
    error_messages,
    form_context,
    posted_input,
)


def _overview(request: HttpRequest, errors: list[str] | None = None) -> HttpResponse:
    account = request.resident  # type: ignore[attr-defined]
    context = {
        "household": selectors.household_of(account),
        "members": selectors.members(account).exclude(status="moved_out"),
        "vehicles": reads.vehicles_of(account.household_id),
        "registrations": reads.own_registrations(account)[:20],
        "landlord_waiting": reads.landlord_waiting(account),
        "errors": errors or [],
    }
    status = 400 if errors else 200
    return render(request, "residents/registration/overview.html", context, status=status)


@require_GET
@resident_required
def overview(request: HttpRequest) -> HttpResponse:
    return _overview(request)


@require_http_methods(["GET", "POST"])
@resident_required
def submit(request: HttpRequest) -> HttpResponse:
    account = request.resident  # type: ignore[attr-defined]
    household = selectors.household_of(account)
    errors: list[str] = []
    if request.method == "POST":
        try:
            registration = services.registration_submit(
                account=account, data=posted_input(request), origin=Origin.from_request(request)
            )
        except ValidationError as error:
            errors = error_messages(error)
        else:
            return HttpResponseRedirect(
                reverse("residents:my_registration", args=[registration.pk])
            )
    context = form_context(request, household, errors=errors)
    if household is None:
        context["buildings"] = buildings_for(int(context["compound"] or 0) or None)
    status = 400 if errors else 200
    return render(request, "residents/registration/form.html", context, status=status)


@require_GET
@resident_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    account = request.resident  # type: ignore[attr-defined]
    registration = reads.own_registration_or_404(account, pk)
    context = {
        "registration": registration,
        "members": registration.members.all(),
        "plates": registration.vehicles.all(),
        "mine": registration.account_id == account.pk,
    }
    return render(request, "residents/registration/detail.html", context)


@require_POST
@resident_required
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    account = request.resident  # type: ignore[attr-defined]
    try:
        services.registration_withdraw(
            account=account, registration_id=pk, origin=Origin.from_request(request)
        )
    except Registration.DoesNotExist as missing:
        raise Http404 from missing
    except ValidationError:
        pass
    return HttpResponseRedirect(reverse("residents:my_registrations"))


@require_POST
@resident_required
def landlord_answer(request: HttpRequest, pk: int) -> HttpResponse:
    """The landlord's 确认 or 不确认 of a tenant's registration, from the overview page."""
    account = request.resident  # type: ignore[attr-defined]
    try:
        services.registration_landlord_answer(
            account=account,
            registration_id=pk,
            agree=request.POST.get("agree") == "1",
            reason=request.POST.get("reason", ""),
            origin=Origin.from_request(request),
        )
    except Registration.DoesNotExist as missing:
        raise Http404 from missing
    except ValidationError as error:
        return _overview(request, error_messages(error))
    return HttpResponseRedirect(reverse("residents:my_registrations"))
