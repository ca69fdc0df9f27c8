"""One HTTP client for every channel that speaks HTTP (SMS gateway, DingTalk, WeCom): urllib3's
pool manager keeps connections open across calls in one process (thread-safe for the task
workers' threads) and never retries a request that may have left.

What the network did becomes the delivery's outcome here, once for all channels:
- nothing left (connection refused, DNS, connect timeout) → "retry";
- it may have left (read timeout, connection reset before the answer) → "unknown";
- an answer came → `Reply` for the channel to read.
"""

import json
from dataclasses import dataclass
from typing import Any

import urllib3
from urllib3.exceptions import (
    ConnectTimeoutError,
    HTTPError,
    MaxRetryError,
    NameResolutionError,
    NewConnectionError,
)

from wangge.notify.channels import RETRY, UNKNOWN

# Connecting again is safe (nothing was sent); reading again is not: a POST is never repeated.
_RETRIES = urllib3.Retry(total=2, connect=2, read=0, status=0, other=0, redirect=0)
_POOL = urllib3.PoolManager(num_pools=20, maxsize=8, retries=_RETRIES)
CONNECT_TIMEOUT_SECONDS = 5.0


@dataclass(frozen=True)
class Reply:
    """An answer (status and body), or `outcome` "retry"/"unknown" when none came."""

    status: int = 0
    body: bytes = b""
    outcome: str = ""
    detail: str = ""

    def json(self) -> Any:
        try:
            return json.loads(self.body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            return None


def _nothing_left(error: BaseException) -> bool:
    cause = error.reason if isinstance(error, MaxRetryError) else error
    return isinstance(cause, NewConnectionError | ConnectTimeoutError | NameResolutionError)


def post(url: str, body: bytes, content_type: str, timeout: float) -> Reply:
    """POST once; a read timeout or a broken connection after sending is "unknown"."""
    try:
        response = _POOL.request(
            "POST",
            url,
            body=body,
            headers={"Content-Type": content_type, "Accept": "application/json"},
            timeout=urllib3.Timeout(connect=min(CONNECT_TIMEOUT_SECONDS, timeout), read=timeout),
        )
    except (HTTPError, OSError) as error:
        detail = f"{type(error).__name__}: {error}"[:300]
        return Reply(outcome=RETRY if _nothing_left(error) else UNKNOWN, detail=detail)
    return Reply(status=response.status, body=response.data)


def post_json(url: str, payload: dict[str, Any], timeout: float) -> Reply:
    body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    return post(url, body, "application/json; charset=utf-8", timeout)


def open_connections(url: str) -> int:
    """How many connections the pool has opened to `url`'s host (tests: connections are reused)."""
    return _POOL.connection_from_url(url).num_connections
