"""Signing in by one-time code: `code_send` (a number asks for a code) and `code_verify` (the
code typed back). The rules, each with its setting in settings.WANGGE:

- a code is six random digits, valid RESIDENT_CODE_MINUTES (5), at most RESIDENT_CODE_TRIES (5)
  tries, and only the number's newest code counts; a new one may be asked for after
  RESIDENT_CODE_RESEND_SECONDS (60), at most RESIDENT_CODES_PER_HOUR (5) an hour per number;
- per client address (its blind index, never the address): RESIDENT_CODES_PER_ADDRESS_PER_MINUTE
  codes and RESIDENT_TRIES_PER_ADDRESS_PER_MINUTE tries, token buckets shared by every worker
  (notify.ratelimit);
- there is no fixed, test or bypass code anywhere.

The code leaves by the SMS channel (notify's adapter, straight to the gateway: the code is never
written to the message log). With no gateway configured (SMS_URL empty) it is written to the
console log instead; with RESIDENT_CODE_OUTBOX on (demo deployments only) it is also kept sealed
for the staff outbox page until it expires."""

import hmac
import logging
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from wangge.core import crypto
from wangge.core.masking import mask_phone
from wangge.core.origin import Origin
from wangge.notify import ratelimit
from wangge.notify.channels import DELIVERED, SENT, UNKNOWN, Outgoing
from wangge.notify.channels.sms import SmsAdapter
from wangge.residents.models import Account, Session, SignInCode
from wangge.residents.services.accounts import account_for_phone, session_start

logger = logging.getLogger("wangge.residents")

CODE_TEXT = "【{sign}】您的登录验证码是 {code}，{minutes} 分钟内有效。如非本人操作，请忽略。"


class SignInRefused(Exception):
    """A code not sent or not accepted; the text says why (Chinese / English)."""


@dataclass(frozen=True)
class Signed:
    account: Account
    session: Session
    raw: str


def _setting(name: str) -> int:
    return int(settings.WANGGE[name])


def _digest(phone_hash: str, code: str) -> str:
    return crypto.blind_index(f"{phone_hash}:{code}")


def _address_allows(kind: str, address: str, per_minute_setting: str) -> bool:
    per_minute = _setting(per_minute_setting)
    if per_minute <= 0 or not address:
        return True
    return ratelimit.take(f"resident-{kind}:{crypto.blind_index(address)}", 1, per_minute) == 1


def _deliver(phone: str, code: str) -> str:
    if not settings.WANGGE["SMS_URL"]:
        logger.warning("登录验证码 %s: %s (no SMS gateway configured)", mask_phone(phone), code)
        return SignInCode.Sent.CONSOLE
    text = CODE_TEXT.format(
        sign=settings.WANGGE["SMS_SIGN_NAME"],
        code=code,
        minutes=_setting("RESIDENT_CODE_MINUTES"),
    )
    reference = f"signin-{secrets.token_hex(8)}"
    (result,) = SmsAdapter().send(reference, [Outgoing(delivery_id=0, address=phone, text=text)])
    if result.outcome in (SENT, DELIVERED):
        return SignInCode.Sent.SENT
    if result.outcome == UNKNOWN:
        return SignInCode.Sent.UNKNOWN
    logger.warning("登录验证码未发出 %s: %s %s", mask_phone(phone), result.code, result.reason)
    return SignInCode.Sent.FAILED


def _check_number(phone_hash: str, now: datetime) -> None:
    recent = SignInCode.objects.filter(
        phone_hash=phone_hash, created_at__gt=now - timedelta(hours=1)
    ).exclude(sent=SignInCode.Sent.FAILED)
    if recent.count() >= _setting("RESIDENT_CODES_PER_HOUR"):
        raise SignInRefused(
            "该号码一小时内获取验证码次数已达上限，请稍后再试 / "
            "too many codes for this number this hour, try again later"
        )
    wait = timedelta(seconds=_setting("RESIDENT_CODE_RESEND_SECONDS"))
    latest = recent.order_by("-created_at").first()
    if latest is not None and now - latest.created_at < wait:
        seconds = int((wait - (now - latest.created_at)).total_seconds()) + 1
        raise SignInRefused(
            f"验证码已发送，请 {seconds} 秒后再重新获取 / a code was just sent, ask again in {seconds} s"
        )


def code_send(*, phone: str, origin: Origin = Origin.SYSTEM) -> SignInCode:
    """Send a new code to a parsed mobile number (`notify.channels.sms.mobile`)."""
    if not _address_allows("code", origin.ip or "", "RESIDENT_CODES_PER_ADDRESS_PER_MINUTE"):
        raise SignInRefused("请求过于频繁，请稍后再试 / too many requests, try again later")
    phone_hash = crypto.blind_index(phone)
    now = timezone.now()
    code = f"{secrets.randbelow(10**6):06d}"
    with transaction.atomic():
        _check_number(phone_hash, now)
        row = SignInCode.objects.create(
            phone_hash=phone_hash,
            phone_masked=mask_phone(phone),
            digest=_digest(phone_hash, code),
            created_at=now,
            expires_at=now + timedelta(minutes=_setting("RESIDENT_CODE_MINUTES")),
            sent=SignInCode.Sent.FAILED,
            outbox_sealed=crypto.seal(code) if settings.WANGGE["RESIDENT_CODE_OUTBOX"] else "",
        )
    row.sent = _deliver(phone, code)
    SignInCode.objects.filter(pk=row.pk).update(sent=row.sent)
    if row.sent == SignInCode.Sent.FAILED:
        raise SignInRefused(
            "验证码发送失败，请稍后再试 / the code could not be sent, try again later"
        )
    return row


WRONG = "验证码不正确 / wrong code"
NONE_VALID = "验证码已失效，请重新获取 / the code has expired, ask for a new one"


def code_verify(*, phone: str, code: str, origin: Origin = Origin.SYSTEM) -> Signed:
    """The typed code against the number's newest live code: a session, or SignInRefused."""
    if not _address_allows("try", origin.ip or "", "RESIDENT_TRIES_PER_ADDRESS_PER_MINUTE"):
        raise SignInRefused("尝试过于频繁，请稍后再试 / too many tries, try again later")
    phone_hash = crypto.blind_index(phone)
    typed = "".join(code.split())
    accepted = False
    with transaction.atomic():
        row = (
            SignInCode.objects.select_for_update()
            .filter(phone_hash=phone_hash, used_at__isnull=True)
            .exclude(sent=SignInCode.Sent.FAILED)
            .order_by("-created_at")
            .first()
        )
        now = timezone.now()
        if row is None or row.expires_at <= now or row.tries >= _setting("RESIDENT_CODE_TRIES"):
            raise SignInRefused(NONE_VALID)
        row.tries += 1
        accepted = len(typed) == 6 and hmac.compare_digest(row.digest, _digest(phone_hash, typed))
        if accepted:
            row.used_at = now
        row.save(update_fields=["tries", "used_at"])
    if not accepted:
        left = _setting("RESIDENT_CODE_TRIES") - row.tries
        raise SignInRefused(NONE_VALID if left <= 0 else f"{WRONG}（{left}）")
    account = account_for_phone(phone=phone, origin=origin)
    if account.disabled_at is not None:
        raise SignInRefused("该账号已停用，请联系社区 / this account is disabled")
    session, raw = session_start(account=account, origin=origin)
    return Signed(account, session, raw)


def outbox(now: datetime | None = None) -> list[tuple[SignInCode, str]]:
    """The live codes with their digits, for the staff outbox page of demo deployments."""
    now = now or timezone.now()
    rows = SignInCode.objects.filter(
        expires_at__gt=now, used_at__isnull=True, outbox_sealed__gt=""
    ).order_by("-created_at")[:50]
    return [(row, crypto.unseal(row.outbox_sealed)) for row in rows]
