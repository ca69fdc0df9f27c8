"""The resident's "已收到" link: a short signed token per recipient, no account, no session.

A token is the recipient's id in base 36, a dot, and the first 10 characters of a URL-safe
base64 HMAC of that id (`salted_hmac` under the project's SECRET_KEY with a salt of its own): about
60 bits, short enough for an SMS (a key in SECRET_KEY_FALLBACKS still opens the links made
under it, so rotating the key does not void the links of messages already out). The MAC is the protection: a token for another recipient cannot
be made without the key, and guessing one is 1 in 2**60 per try, so the link is not rate-limited.
Opening the link (GET) shows the page and changes nothing, so a link scanner that fetches it does
not acknowledge; the button posts, with Django's CSRF cookie set by the GET. A second use keeps
the first time.
"""

import base64
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from wangge.core.origin import Origin
from wangge.core.services import audit_record
from wangge.notify.models import Message, Recipient

SALT = "wangge.notify.acks.recipient"
MAC_LENGTH = 10
DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"


class AckRefused(Exception):
    """The link is genuine but this message cannot be acknowledged (bilingual `message`)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class AckResult:
    recipient: Recipient
    acknowledged_at: datetime
    first: bool  # False when the link had been used before: the first time is kept


def _base36(number: int) -> str:
    digits = ""
    while True:
        number, rest = divmod(number, 36)
        digits = DIGITS[rest] + digits
        if not number:
            return digits


def _mac(ident: str, secret: str | bytes | None = None) -> str:
    digest = salted_hmac(SALT, ident, secret=secret, algorithm="sha256").digest()
    return base64.urlsafe_b64encode(digest).decode()[:MAC_LENGTH]


def ack_token(recipient_id: int) -> str:
    ident = _base36(recipient_id)
    return f"{ident}.{_mac(ident)}"


def ack_link(recipient: Recipient) -> str:
    return f"{settings.WANGGE['SITE_URL']}/a/{ack_token(recipient.pk)}"


def recipient_for_token(token: str) -> Recipient | None:
    """The recipient the token was made for, or None for a forged, altered or unknown token."""
    ident, dot, mac = token.partition(".")
    if not dot or not ident or len(ident) > 13 or any(c not in DIGITS for c in ident):
        return None
    secrets = [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]
    if not any(constant_time_compare(mac, _mac(ident, secret)) for secret in secrets):
        return None
    return Recipient.objects.select_related("message__street").filter(pk=int(ident, 36)).first()


def refusal(message: Message) -> str:
    """Why this message cannot be acknowledged (bilingual), or "" when it can."""
    if message.status == Message.Status.CANCELLED:
        return _("该通知已撤回，无需确认 / this message was withdrawn")
    if not message.ack or message.status not in (Message.Status.SENDING, Message.Status.SENT):
        return _("该通知无需确认 / this message asks for no acknowledgement")
    return ""


@transaction.atomic
def acknowledge(*, token: str, origin: Origin = Origin.SYSTEM) -> AckResult:
    """Record that the recipient of `token` got the message. Raises LookupError for a token that
    names no recipient, AckRefused when the message asks no acknowledgement or was cancelled."""
    found = recipient_for_token(token)
    if found is None:
        raise LookupError(token)
    recipient = Recipient.objects.select_for_update().select_related("message").get(pk=found.pk)
    message = recipient.message
    refused = refusal(message)
    if refused:
        raise AckRefused(refused)
    if recipient.acknowledged_at is not None:
        return AckResult(recipient, recipient.acknowledged_at, first=False)
    now = timezone.now()
    Recipient.objects.filter(pk=recipient.pk, acknowledged_at=None).update(acknowledged_at=now)
    recipient.acknowledged_at = now
    audit_record(
        actor=None,
        action="notify.acknowledge",
        target=recipient,
        target_label=f"{message.pk}/{recipient.pk}",
        origin=origin,
    )
    return AckResult(recipient, now, first=True)
