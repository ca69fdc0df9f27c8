"""The resident's "已收到" page: GET shows it and changes nothing (link scanners fetch links);
POST acknowledges. No account, no session; a forged token gets the same page with 404."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from wangge.core.origin import Origin
from wangge.notify.acks import AckRefused, acknowledge, recipient_for_token, refusal
from wangge.notify.models import Recipient

TEMPLATE = "notify/ack.html"


def _context(recipient: Recipient) -> dict[str, object]:
    """What the page may show: the message's kind, title and street; nothing about the person."""
    message = recipient.message
    return {
        "kind": message.get_kind_display(),
        "title": message.title,
        "street": message.street.name,
        "acknowledged_at": recipient.acknowledged_at,
        "refusal": refusal(message),
    }


@never_cache
@require_http_methods(["GET", "POST"])
def ack(request: HttpRequest, token: str) -> HttpResponse:
    recipient = recipient_for_token(token)
    if recipient is None:
        return render(request, TEMPLATE, {"invalid": True}, status=404)
    context = _context(recipient)
    status = 200
    if request.method == "POST":
        try:
            result = acknowledge(token=token, origin=Origin.from_request(request))
        except AckRefused as refused:
            context["refusal"], status = refused.message, 409
        else:
            context.update(acknowledged_at=result.acknowledged_at, first=result.first)
    return render(request, TEMPLATE, context, status=status)
