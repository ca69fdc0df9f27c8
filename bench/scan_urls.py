"""URLs for the scan benchmarks only: the product's URLs plus two yardsticks behind the same
middleware, server and workers as the scan endpoint:

- /bench/bare/ returns a constant;
- /bench/minimal-scan/ does a scan's essential work and nothing else: authenticate the API token
  (one indexed read), find the person of the scanned code (one indexed read), insert the scan
  (one insert). No duty, no rules, no serializer — what a scan could cost at the least.
"""

import json

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import path
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from wangge.accounts.models import ApiToken
from wangge.checkpoints import tokens
from wangge.checkpoints.models import PersonalCode, Scan
from wangge.checkpoints.rules import Verdict
from wangge.urls import urlpatterns as product


def bare(request: HttpRequest) -> HttpResponse:
    return HttpResponse(b'{"ok": true}', content_type="application/json")


@csrf_exempt
def minimal_scan(request: HttpRequest) -> HttpResponse:
    raw = request.headers.get("Authorization", "").removeprefix("Token ")
    token = ApiToken.objects.select_related("user").filter(digest=ApiToken.digest_of(raw)).first()
    if token is None or not token.user.is_active:
        return JsonResponse({"code": "unauthenticated"}, status=401)
    body = json.loads(request.body)
    _, digest = tokens.parse_payload(body["code"])
    code = PersonalCode.objects.filter(token_hash=digest).values("person_id").first()
    scan = Scan.objects.create(
        client_id=body["client_id"],
        checkpoint_id=body["checkpoint"],
        direction=body["direction"],
        method=Scan.Method.CODE,
        person_id=code["person_id"] if code else None,
        verdict=Verdict.PASS,
        scanned_at=timezone.now(),
        by=token.user,
    )
    return JsonResponse({"client_id": scan.client_id, "verdict": scan.verdict}, status=201)


urlpatterns = [path("bench/bare/", bare), path("bench/minimal-scan/", minimal_scan), *product]
