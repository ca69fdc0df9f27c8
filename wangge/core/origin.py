"""Where a write came from, for its audit entry: the client's address and browser, or none.

Services take `by` (who) and `origin` (from where), never the request, so a view, an API view, a
task and a management command call them the same way. A view builds the origin with
`Origin.from_request(request)`; a task or a command passes `Origin.SYSTEM`, the default.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from typing import ClassVar

from django.conf import settings
from django.http import HttpRequest
from rest_framework.request import Request

AGENT_LENGTH = 300


@dataclass(frozen=True, slots=True)
class Origin:
    ip: str | None = None
    agent: str = ""

    SYSTEM: ClassVar[Origin]

    @classmethod
    def from_request(cls, request: HttpRequest | Request | None) -> Origin:
        """The client's address and user agent; `SYSTEM` when there is no request."""
        if request is None:
            return cls.SYSTEM
        return cls(
            ip=request.META.get("REMOTE_ADDR") or None,
            agent=request.META.get("HTTP_USER_AGENT", "")[:AGENT_LENGTH],
        )


Origin.SYSTEM = Origin()


def client_address(request: HttpRequest) -> str:
    """The client's address: the peer, or behind a trusted reverse proxy (TRUSTED_PROXIES) the
    last address the proxy appended to X-Forwarded-For."""
    peer = request.META.get("REMOTE_ADDR", "")
    if peer not in settings.WANGGE["TRUSTED_PROXIES"]:
        return peer
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")[-1].strip()
    try:
        return str(ipaddress.ip_address(forwarded))
    except ValueError:
        return peer
