"""The portal's home: the household's members and what each can do, and the phone's sessions."""

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from wangge.core.origin import Origin
from wangge.residents import report_selectors, selectors, services
from wangge.residents.auth import clear_session_cookie, resident_required, session_of


@require_GET
@resident_required
def home(request: HttpRequest) -> HttpResponse:
    account = request.resident  # type: ignore[attr-defined]
    context = {
        "household": selectors.household_of(account),
        "members": selectors.members(account),
        "sessions": selectors.sessions(account),
        "current": session_of(request),
        "unread": report_selectors.unread_count(account),
        "checkin_rows": report_selectors.checkins_today(account),
    }
    return render(request, "residents/home.html", context)


def _signed_out_if_current(request: HttpRequest) -> HttpResponse:
    current = session_of(request)
    request._resident_session = None  # type: ignore[attr-defined]
    still = (
        current is not None
        and current.account.sessions.filter(pk=current.pk, ended_at__isnull=True).exists()
    )
    response = HttpResponseRedirect(reverse("residents:home"))
    if not still:
        clear_session_cookie(response)
    return response


@require_POST
@resident_required
def session_end(request: HttpRequest, pk: int) -> HttpResponse:
    services.session_end(
        account=request.resident,  # type: ignore[attr-defined]
        session_id=pk,
        origin=Origin.from_request(request),
    )
    return _signed_out_if_current(request)


@require_POST
@resident_required
def sessions_end_all(request: HttpRequest) -> HttpResponse:
    services.sessions_end_all(
        account=request.resident,  # type: ignore[attr-defined]
        origin=Origin.from_request(request),
    )
    return _signed_out_if_current(request)
