"""The Content-Security-Policy around django-csp (docs/adr/0008-content-security-policy.md).

Pages load scripts from our own origin only: no inline script, no on*= handler, no eval. The
policy is sent report-only until WANGGE_CSP_ENFORCE says otherwise; either way browsers send what
the policy refused to `csp_report`, which logs it on the `wangge.csp` logger, a bounded number a
minute per address so that a broken page (or a hostile client) cannot flood the log: reports over
the limit are dropped with the same 204 (a 4xx would itself be logged by `django.request`).
"""

import json
import logging
from collections.abc import Callable
from typing import Any

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.decorators import csp_update
from csp.middleware import CSPMiddleware as BaseCSPMiddleware
from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

logger = logging.getLogger("wangge.csp")

REPORT_TYPES = ("application/csp-report", "application/reports+json")
REPORT_MAX_BYTES = 64 * 1024
FIELD_MAX_CHARS = 300
# The fields worth a log line, in the legacy report-uri spelling and the Reporting API's.
FIELDS = {
    "document-uri": "documentURL",
    "effective-directive": "effectiveDirective",
    "blocked-uri": "blockedURL",
    "source-file": "sourceFile",
    "line-number": "lineNumber",
    "disposition": "disposition",
}

View = Callable[..., HttpResponseBase]


def _widen(extra: dict[str, list[str]]) -> Callable[[View], View]:
    """Add sources to the policy of one view, in whichever mode the policy is sent."""

    def decorator(view: View) -> View:
        return csp_update(extra)(csp_update(extra, REPORT_ONLY=True)(view))

    return decorator


# The checkpoint scan page compiles the ZXing QR reader's WebAssembly; eval stays refused.
allow_webassembly = _widen({"script-src": ["'wasm-unsafe-eval'"]})
# A printable SVG is one self-contained file, so its look is in a <style> element of its own.
allow_style_elements = _widen({"style-src": ["'unsafe-inline'"]})


class CSPMiddleware(BaseCSPMiddleware):
    """django-csp's middleware, plus the Reporting-Endpoints header that the policy's `report-to`
    names (browsers that use the Reporting API send there; the others use `report-uri`)."""

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        response = super().process_response(request, response)
        if HEADER in response or HEADER_REPORT_ONLY in response:
            endpoint = request.build_absolute_uri(reverse("csp-report"))
            response.headers["Reporting-Endpoints"] = f'csp-endpoint="{endpoint}"'
        return response


def _violations(content_type: str, body: bytes) -> list[dict[str, Any]]:
    """The violation bodies of a report, or ValueError when it is none."""
    data = json.loads(body)
    if content_type == "application/csp-report":
        if not isinstance(data, dict) or not isinstance(data.get("csp-report"), dict):
            raise ValueError("no csp-report object")
        return [data["csp-report"]]
    if not isinstance(data, list):
        raise ValueError("a Reporting API body is a list")
    return [
        item["body"]
        for item in data
        if isinstance(item, dict)
        and item.get("type") == "csp-violation"
        and isinstance(item.get("body"), dict)
    ]


def _within_rate(request: HttpRequest) -> bool:
    limit = int(settings.WANGGE["CSP_REPORTS_PER_MINUTE"])
    minute = timezone.now().strftime("%Y%m%d%H%M")
    key = f"csp-report:{request.META.get('REMOTE_ADDR', '')}:{minute}"
    cache.add(key, 0, timeout=120)
    try:
        return cache.incr(key) <= limit
    except ValueError:
        return True


def _line(violation: dict[str, Any]) -> str:
    parts = []
    for legacy, modern in FIELDS.items():
        value = violation.get(legacy, violation.get(modern))
        if value not in (None, ""):
            parts.append(f"{legacy}={str(value)[:FIELD_MAX_CHARS]!r}")
    return " ".join(parts)


@csrf_exempt
@require_POST
def csp_report(request: HttpRequest) -> HttpResponse:
    """Log the violations a browser reports. Browsers send no CSRF token and need no answer
    beyond 204; a request of the wrong type, too large or not JSON gets a 4xx and no log line
    of ours."""
    content_type = request.content_type or ""
    if content_type not in REPORT_TYPES:
        return HttpResponse(status=415)
    if int(request.META.get("CONTENT_LENGTH") or 0) > REPORT_MAX_BYTES:
        return HttpResponse(status=413)
    if not _within_rate(request):
        return HttpResponse(status=204)  # dropped quietly: a 4xx would be logged by Django
    try:
        violations = _violations(content_type, request.body)
    except ValueError:
        return HttpResponse(status=400)
    for violation in violations:
        logger.warning("CSP violation: %s", _line(violation))
    return HttpResponse(status=204)
