"""The public venue-code page (v/<token>/), and a venue's visits for its staff (venues/<pk>/visits/).

The public page needs no account and no script: a plain form posts the phone (or the personal code
the browser holds, filled in by venues/visit.js) and the answer is the confirmation a door guard
reads: the venue's name and the time, large. It shows nothing about anyone else.
"""

from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from wangge.accounts.http import SignedInRequest
from wangge.checkpoints import tokens
from wangge.core.origin import client_address
from wangge.core.roles import Action
from wangge.venues.models import Venue
from wangge.venues.selectors.visits import staff_codes, visits_per_hour
from wangge.venues.services.visits import (
    SUSPENDED,
    UnknownVenue,
    VisitInput,
    VisitLimited,
    visit_record,
)

MAX_FIELD = 200


def _unknown(request: HttpRequest) -> HttpResponse:
    return render(request, "venues/visit_unknown.html", status=404)


def _venue_of(token: str) -> Venue | None:
    if not token or len(token) > 64:
        return None
    return Venue.objects.only("name", "status").filter(code_hash=tokens.token_hash(token)).first()


def _form_context(venue: Venue) -> dict[str, Any]:
    return {
        "venue": venue,
        "suspended": venue.status in SUSPENDED,
        "retention_days": settings.WANGGE["RETENTION_VISITS_DAYS"],
    }


@require_http_methods(["GET", "POST"])
def visit(request: HttpRequest, token: str) -> HttpResponse:
    """GET: the form. POST: record the visit and show its confirmation."""
    if request.method == "GET":
        venue = _venue_of(token)
        if venue is None:
            return _unknown(request)
        return render(request, "venues/visit.html", _form_context(venue))
    data = VisitInput(
        token=token,
        personal_code=request.POST.get("personal_code", "")[:MAX_FIELD],
        phone=request.POST.get("phone", "")[:MAX_FIELD],
        address=client_address(request),
    )
    try:
        outcome = visit_record(data=data)
    except VisitLimited as limited:
        return render(
            request, "venues/visit_limited.html", {"message": limited.message}, status=429
        )
    except UnknownVenue:
        return _unknown(request)
    except ValidationError as error:
        venue = _venue_of(token)
        if venue is None:
            return _unknown(request)
        context = _form_context(venue) | {"errors": error.messages, "phone": data.phone}
        return render(request, "venues/visit.html", context, status=422)
    context = {
        "venue": outcome.venue,
        "suspended": outcome.suspended,
        "visit": outcome.visit,
        "visitor": outcome.visitor,
        "repeat": not outcome.created,
    }
    return render(request, "venues/visit_done.html", context)


@login_required
def venue_visits(request: SignedInRequest, pk: int) -> HttpResponse:
    """Visits per hour today and the staff's own codes, for whoever sees the venue."""
    venue = get_object_or_404(
        Venue.objects.restrict(request.user, Action.VIEW).select_related("grid__community"), pk=pk
    )
    today = timezone.localdate()
    hours = visits_per_hour(venue, today)
    context = {
        "venue": venue,
        "today": today,
        "hours": hours,
        "total": sum(row.visits for row in hours),
        "flagged": sum(row.flagged for row in hours),
        "staff": staff_codes(venue),
        "crumbs": [(_("场所"), ""), (venue.name, ""), (_("到访"), "")],
    }
    return render(request, "venues/venue_visits.html", context)
