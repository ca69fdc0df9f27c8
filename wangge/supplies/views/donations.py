"""捐赠 pages: the list of the user's area, the registration form (a formset of lines), a
donation with what it was issued to and the donor's link; and, without an account, the street's
thank-you list and the donor's own page."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from wangge.accounts.http import SignedInRequest
from wangge.core.decorators import register_required
from wangge.core.origin import Origin
from wangge.core.roles import Action
from wangge.core.scoping import scope_of
from wangge.core.shortcuts import get_visible_or_404
from wangge.regions.models import Street
from wangge.supplies.forms.donations import DonationForm, LineFormSet, lines_of
from wangge.supplies.models import Donation, Item, MoveKind, StockMove
from wangge.supplies.services.donations import (
    donation_by_token,
    donation_register,
    donation_use,
    donor_url,
    thanks_list,
)
from wangge.teams.views.common import refusal_add


@register_required
def index(request: SignedInRequest) -> HttpResponse:
    donations = Donation.objects.restrict(request.user).select_related("place")
    context = {
        "page": Paginator(donations, 50).get_page(request.GET.get("page")),
        "can_add": not scope_of(request.user, Action.EDIT).empty,
        "streets": Street.objects.filter(pk__in=donations.values("street").order_by()).order_by(
            "pk"
        ),
    }
    return render(request, "supplies/donations/index.html", context)


@register_required
@require_http_methods(["GET", "POST"])
def new(request: SignedInRequest) -> HttpResponse:
    form = DonationForm(request.POST or None, user=request.user)
    items = Item.objects.restrict(request.user).filter(active=True)
    formset = LineFormSet(request.POST or None, prefix="lines", form_kwargs={"items": items})
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        data = form.cleaned_data
        try:
            donation = donation_register(
                by=request.user,
                place=data["place"],
                receipt_no=data["receipt_no"],
                donor_name=data["donor_name"],
                donor_kind=data["donor_kind"],
                phone=data["phone"],
                public=data["public"],
                note=data["note"],
                lines=lines_of(formset),
                origin=Origin.from_request(request),
            )
        except ValidationError as error:
            refusal_add(form, error)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            return redirect("supplies:donation", donation.pk)
    status = 422 if request.method == "POST" else 200
    return render(
        request, "supplies/donations/new.html", {"form": form, "formset": formset}, status=status
    )


@register_required
def detail(request: SignedInRequest, pk: int) -> HttpResponse:
    donation = get_visible_or_404(Donation, request.user, pk)
    lines = StockMove.objects.filter(
        batch__donation=donation, kind=MoveKind.DONATION
    ).select_related("item", "batch", "place")
    context = {
        "donation": donation,
        "lines": lines.order_by("pk"),
        "use": donation_use(donation),
        "donor_link": donor_url(donation),
    }
    return render(request, "supplies/donations/detail.html", context)


@require_GET
def thanks(request: HttpRequest, street_pk: int) -> HttpResponse:
    street = get_object_or_404(Street, pk=street_pk)
    context = {"street": street, "thanks": thanks_list(street)}
    return render(request, "supplies/donations/thanks.html", context)


@require_GET
def donor(request: HttpRequest, token: str) -> HttpResponse:
    donation = donation_by_token(token)
    if donation is None:
        raise Http404
    context = {"donation": donation, "use": donation_use(donation)}
    return render(request, "supplies/donations/donor.html", context)
