"""红黄牌 for staff: the cards of the caller's area and a card's notice for the door (A4 PDF with a
QR to the venue's public status page)."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from wangge.accounts.http import SignedInRequest
from wangge.checkpoints.tokens import qr_svg
from wangge.core import crypto
from wangge.core.pdf import render_pdf
from wangge.core.roles import Action
from wangge.venues.models import Card, Venue


def status_url(venue: Venue) -> str:
    token = crypto.unseal(venue.code_sealed)
    return settings.WANGGE["SITE_URL"] + reverse("venues:public_status", args=[token])


@login_required
@require_GET
def card_list(request: SignedInRequest) -> HttpResponse:
    cards = (
        Card.objects.restrict(request.user, Action.VIEW)
        .filter(closed_at__isnull=True)
        .select_related("venue__grid__community", "venue__kind")
        .order_by("-colour", "issued_at")[:500]
    )
    return render(request, "venues/cards.html", {"cards": cards})


@login_required
@require_GET
def card_notice(request: SignedInRequest, pk: int) -> HttpResponse:
    rows = Card.objects.restrict(request.user, Action.VIEW).select_related("venue__kind")
    card = get_object_or_404(rows, pk=pk)
    url = status_url(card.venue)
    pdf = render_pdf(
        "venues/card_notice.html",
        {"card": card, "venue": card.venue, "qr": qr_svg(url, scale=6), "url": url},
        request=request,
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="card-{card.pk}.pdf"'
    return response
