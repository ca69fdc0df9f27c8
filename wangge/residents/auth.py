"""How a request carries a resident: the `wg_resident` cookie holds a session's random token.

`resident_required` guards the portal's pages (to the sign-in page when absent),
`ResidentAuthentication` the resident API (`/api/my/`): the resident's side of the API accepts
this cookie only, never a staff token, and a staff session grants nothing there."""

from collections.abc import Callable
from datetime import timedelta
from functools import wraps
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from rest_framework.authentication import BaseAuthentication, CSRFCheck
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from wangge.residents.models import Account, Session

COOKIE = "wg_resident"
TOUCH_EVERY = timedelta(minutes=5)


def session_lifetime() -> timedelta:
    return timedelta(days=settings.WANGGE["RESIDENT_SESSION_DAYS"])


def session_of(request: HttpRequest) -> Session | None:
    """The request's active resident session, read once per request."""
    if hasattr(request, "_resident_session"):
        return request._resident_session
    found = None
    raw = request.COOKIES.get(COOKIE, "")
    if raw:
        found = (
            Session.objects.select_related("account__household", "account__person")
            .filter(
                digest=Session.digest_of(raw),
                ended_at__isnull=True,
                expires_at__gt=timezone.now(),
                account__disabled_at__isnull=True,
            )
            .first()
        )
    if found is not None and timezone.now() - found.last_seen_at > TOUCH_EVERY:
        Session.objects.filter(pk=found.pk).update(last_seen_at=timezone.now())
    request._resident_session = found  # type: ignore[attr-defined]
    return found


def account_of(request: HttpRequest) -> Account | None:
    session = session_of(request)
    return session.account if session else None


def set_session_cookie(response: HttpResponse, raw: str, session: Session) -> None:
    response.set_cookie(
        COOKIE,
        raw,
        expires=session.expires_at,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def clear_session_cookie(response: HttpResponse) -> None:
    response.delete_cookie(COOKIE, samesite="Lax")


def resident_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The view runs with `request.resident` (the Account); without a session, to the sign-in page."""

    @wraps(view)
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        account = account_of(request)
        if account is None:
            target = reverse("residents:signin") + "?next=" + quote(request.get_full_path())
            return HttpResponseRedirect(target)
        request.resident = account  # type: ignore[attr-defined]
        return view(request, *args, **kwargs)

    return guarded


class ResidentAuthentication(BaseAuthentication):
    """The resident API's only authentication: the portal's cookie, with Django's CSRF check on
    unsafe methods (the cookie is sent by the browser on its own, as a session's is)."""

    def authenticate(self, request: Request) -> tuple[Any, Session] | None:
        session = session_of(request._request)
        if session is None:
            return None
        check = CSRFCheck(_no_response)
        check.process_request(request._request)
        reason = check.process_view(request._request, _no_response, (), {})
        if reason:
            raise PermissionDenied(f"CSRF Failed: {reason}")
        return (ResidentUser(session.account), session)

    def authenticate_header(self, request: Request) -> str:
        return "Cookie"


def _no_response(_request: HttpRequest) -> HttpResponse:
    return HttpResponse()


class ResidentUser:
    """What `request.user` is on the resident API: the account, never a staff user."""

    is_authenticated = True
    is_active = True
    is_staff = False
    is_superuser = False
    pk = None

    def __init__(self, account: Account) -> None:
        self.account = account

    def __str__(self) -> str:
        return self.account.label


class IsResident(BasePermission):
    def has_permission(self, request: Request, view: Any) -> bool:
        return isinstance(request.user, ResidentUser)
