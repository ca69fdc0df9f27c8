"""The compound's registration QR: `/my/join/<token>/` for the resident who scanned the poster,
and the A4 posters for the staff of the compound's area."""

from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from wangge.accounts.http import SignedInRequest
from wangge.checkpoints.tokens import qr_svg
from wangge.core.pdf import render_pdf
from wangge.core.roles import Action
from wangge.regions.models import Compound
from wangge.residents.auth import account_of
from wangge.residents.join import compound_of, join_url, registration_entry


@require_GET
def join(request: HttpRequest, token: str) -> HttpResponse:
    """Signed in: on to the registration with the compound; else to the sign-in, then back here."""
    compound = compound_of(token)
    if compound is None:
        raise Http404
    if account_of(request) is None:
        target = reverse("residents:signin") + "?next=" + quote(request.get_full_path())
        return HttpResponseRedirect(target)
    return HttpResponseRedirect(registration_entry(compound))


def _compounds(request: SignedInRequest) -> QuerySet[Compound]:
    return Compound.objects.restrict(request.user, Action.VIEW).select_related("community")


@login_required
def join_posters(request: SignedInRequest) -> HttpResponse:
    """The compounds the staff member's area covers, each with its poster."""
    compounds = _compounds(request).order_by("community__name", "name")
    return render(request, "residents/join_posters.html", {"compounds": compounds})


@login_required
def join_poster(request: SignedInRequest, pk: int) -> HttpResponse:
    compound = get_object_or_404(_compounds(request), pk=pk)
    url = join_url(compound)
    context = {"compound": compound, "qr": qr_svg(url, scale=8), "url": url}
    pdf = render_pdf("residents/join_poster_pdf.html", context, request=request)
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = f"小区登记码-{compound.community.name}{compound.name}.pdf"
    response["Content-Disposition"] = content_disposition_header(False, filename) or ""
    return response
