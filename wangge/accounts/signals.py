"""Sign-ins, failed sign-ins and sign-outs go to the audit log (Django's auth signals)."""

from types import SimpleNamespace
from typing import Any

from django.contrib.auth import get_user_model
from django.http import HttpRequest

from wangge.accounts.models import User
from wangge.core.origin import Origin
from wangge.core.services import audit_record

LOCKED_REASON = "账号已锁定 / account locked"


def audit_login(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    audit_record(actor=user, action="login", target=user, origin=Origin.from_request(request))


def audit_logout(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    if user is not None:
        audit_record(actor=user, action="logout", target=user, origin=Origin.from_request(request))


def audit_login_failed(
    sender: Any, credentials: dict, request: HttpRequest | None = None, **kwargs: Any
) -> None:
    """Recorded under the username typed (not linked to the account: someone else may have typed it)."""
    username = str(credentials.get("username") or "")[:150]
    user = get_user_model().objects.filter(username=username).first() if username else None
    audit_record(
        actor=SimpleNamespace(pk=None, username=username or "-"),
        action="login_failed",
        target=user,
        target_type="accounts.user",
        target_label=username,
        reason=LOCKED_REASON if getattr(request, "axes_locked_out", False) else "",
        origin=Origin.from_request(request),
    )
