"""The personal answer link of a call's invite: `{SITE_URL}/teams/calls/answer/<token>/`.

The token is the first 16 characters of the URL-safe base64 of an HMAC-SHA256 of the call's and
the member's ids under the project's key (96 bits): it can be made again for the SMS when it is
rendered, and cannot be made without the key. The invite keeps only the token's SHA-256, by which
the answer page finds it. notify renders {链接} through `invite_link`, registered at start-up.
"""

import base64
import hashlib

from django.conf import settings
from django.utils.crypto import salted_hmac

from wangge.notify.models import Recipient

SALT = "wangge.teams.calls.invite"
TOKEN_LENGTH = 16


def invite_token(call_id: int, member_id: int) -> str:
    digest = salted_hmac(SALT, f"{call_id}:{member_id}", algorithm="sha256").digest()
    return base64.urlsafe_b64encode(digest).decode()[:TOKEN_LENGTH]


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def answer_path(token: str) -> str:
    return f"/teams/calls/answer/{token}/"


def answer_url(call_id: int, member_id: int) -> str:
    return settings.WANGGE["SITE_URL"] + answer_path(invite_token(call_id, member_id))


def invite_link(recipient: Recipient) -> str:
    """The answer link of the invite a call's SMS went to ("" for any other recipient)."""
    from wangge.teams.models import CallInvite

    if not recipient.phone_hash:
        return ""
    invite = (
        CallInvite.objects.filter(
            message_id=recipient.message_id, member__phone_hash=recipient.phone_hash
        )
        .values_list("call_id", "member_id")
        .first()
    )
    return answer_url(*invite) if invite else ""
