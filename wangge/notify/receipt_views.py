"""The SMS provider's receipt push: POST /notify/receipts/<token>/, a JSON array of receipts.

No account and no session: the secret in the path (settings.WANGGE["SMS_RECEIPT_TOKEN"]) is the
authentication. Providers retry a push until it is answered with their success shape, so a repeat
is answered the same and changes nothing (services.receipts_record)."""

import hmac
import logging

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from wangge.notify.channels.sms import parse_receipts, receipt_ack
from wangge.notify.services import receipts_record

log = logging.getLogger(__name__)
# A push bigger than this is refused (a provider sends a few hundred receipts at a time).
MAX_BYTES = 2 * 1024 * 1024


@csrf_exempt
@require_POST
def receipts(request: HttpRequest, token: str) -> HttpResponse:
    if not hmac.compare_digest(token, settings.WANGGE["SMS_RECEIPT_TOKEN"]):
        return JsonResponse({"code": 404, "msg": "not found"}, status=404)
    if len(request.body) > MAX_BYTES:
        return JsonResponse({"code": 413, "msg": "回执过大 / too many receipts"}, status=413)
    try:
        items = parse_receipts(request.body)
    except ValueError as error:
        return JsonResponse({"code": 400, "msg": str(error)}, status=400)
    stored = receipts_record(items)
    log.info("notify receipts: %d received, %d new", len(items), stored)
    status, body = receipt_ack()
    return JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})
