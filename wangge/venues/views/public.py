"""The public pages of the cards, for anyone without an account: a venue's status (the QR on the
door notice leads here) and a street's list of venues under a card now, as seed 000 posts them.
Nothing personal: the venue's name, kind, status and card, never its people or phones."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from wangge.regions.models import Street
from wangge.venues.selectors.cards import carded_venues, venue_by_code
from wangge.venues.selectors.register import open_card


@require_GET
def status(request: HttpRequest, token: str) -> HttpResponse:
    venue = venue_by_code(token)
    if venue is None:
        raise Http404
    return render(request, "venues/public_status.html", {"venue": venue, "card": open_card(venue)})


@require_GET
def carded(request: HttpRequest, street_pk: int) -> HttpResponse:
    street = get_object_or_404(Street, pk=street_pk)
    return render(
        request, "venues/public_carded.html", {"street": street, "rows": carded_venues(street.pk)}
    )
