"""The venue code posters (场所码) as A4 PDFs: one venue's, or every venue of a grid on one PDF."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.http import content_disposition_header

from wangge.accounts.http import SignedInRequest
from wangge.checkpoints.tokens import qr_svg
from wangge.core.pdf import render_pdf
from wangge.core.roles import Action
from wangge.regions.models import Grid
from wangge.venues.codes import venue_code_url
from wangge.venues.models import Venue
from wangge.venues.selectors.register import venues_for

# A grid's posters are drawn while the request waits (about 0.1 s a page): a larger set is refused
# with a message rather than left to time out.
GRID_POSTERS_MAX = 150


def _posters(venues: list[Venue]) -> list[dict]:
    return [{"venue": venue, "qr": qr_svg(venue_code_url(venue), scale=8)} for venue in venues]


def _pdf(request: SignedInRequest, venues: list[Venue], filename: str) -> HttpResponse:
    pdf = render_pdf("venues/poster_pdf.html", {"posters": _posters(venues)}, request=request)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(False, filename) or ""
    return response


@login_required
def poster(request: SignedInRequest, pk: int) -> HttpResponse:
    venue = get_object_or_404(venues_for(request.user), pk=pk)
    return _pdf(request, [venue], f"场所码-{venue.name}.pdf")


@login_required
def grid_posters(request: SignedInRequest, pk: int) -> HttpResponse:
    grid = get_object_or_404(Grid.objects.restrict(request.user, Action.VIEW), pk=pk)
    venues = list(
        venues_for(request.user).filter(grid=grid).exclude(status="closed").order_by("name")
    )
    if len(venues) > GRID_POSTERS_MAX or not venues:
        context = {"grid": grid, "count": len(venues), "limit": GRID_POSTERS_MAX}
        return render(request, "venues/posters_refused.html", context, status=422)
    return _pdf(request, venues, f"场所码-{grid.community.name}{grid.name}.pdf")
