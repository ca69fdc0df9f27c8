"""View guards shared by the register's pages."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.http.response import HttpResponseBase

from wangge.core.scoping import scope_of


def action_required(
    action: str,
) -> Callable[[Callable[..., HttpResponseBase]], Callable[..., HttpResponseBase]]:
    """Signed in and allowed `action` somewhere: else 403."""

    def decorator(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
        @login_required
        @wraps(view)
        def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if scope_of(request.user, action).empty:
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return guarded

    return decorator


register_required = action_required("view")
register_required.__doc__ = """Signed in and allowed to view some part of the register (checkpoint
staff are not): else 403. Pages about one object still look it up through `.restrict(...)` and
answer 404 outside scope."""
