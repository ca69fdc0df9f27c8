"""SMS through a configurable HTTP gateway (settings.WANGGE SMS_*): the generic adapter does the
numbers, the batching and the outcomes; a preset (SMS_PRESET) gives the provider's request and
answer shapes and its receipt push. Aliyun is the first preset (channels/aliyun.py).

Before anything leaves, each number is read with `phonenumbers` (region CN) and must be a mobile:
otherwise its delivery fails here ("invalid_phone"). A number twice in one batch goes once; the
repeat is handed back as "retry" so it leaves in another attempt (receipts are matched by
(reference, phone), which must stay unambiguous).

When the gateway refuses a batch of several numbers for one number's sake (Aliyun refuses the whole
request), each number is sent alone under the same reference, so only the bad one fails. After an
answer-less request (refused connection, timeout) the batch's remaining requests are not tried:
they are handed back as "retry".
"""

from collections.abc import Sequence
from importlib import import_module
from typing import Any, Protocol

import phonenumbers
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from wangge.notify.channels import FAILED, RETRY, SENT, Outgoing, ReceiptIn, Result, transport

Item = tuple[Outgoing, str]
_MOBILE = {phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE}


class Preset(Protocol):
    name: str
    content_type: str

    def requests(self, reference: str, items: Sequence[Item]) -> list[tuple[bytes, list[Item]]]: ...

    def read(self, reply: transport.Reply) -> tuple[str, str, str]: ...

    def splits(self, code: str) -> bool: ...

    def parse_receipts(self, body: bytes) -> list[ReceiptIn]: ...

    def receipt_ack(self) -> tuple[int, dict[str, Any]]: ...


PRESETS = {"aliyun": "wangge.notify.channels.aliyun"}


def preset() -> Preset:
    """The configured preset (SMS_PRESET): its module exports PRESET."""
    name = settings.WANGGE["SMS_PRESET"]
    if name not in PRESETS:
        raise ImproperlyConfigured(f"WANGGE_SMS_PRESET={name!r}: one of {sorted(PRESETS)}")
    chosen: Preset = import_module(PRESETS[name]).PRESET
    return chosen


def mobile(raw: str) -> str:
    """A Chinese mobile number as its 11 digits (+86, spaces and dashes dropped), or ""."""
    try:
        number = phonenumbers.parse(raw, "CN")
    except phonenumbers.NumberParseException:
        return ""
    if (
        not phonenumbers.is_valid_number(number)
        or phonenumbers.region_code_for_number(number) != "CN"
        or phonenumbers.number_type(number) not in _MOBILE
    ):
        return ""
    return str(number.national_number)


def parse_receipts(body: bytes) -> list[ReceiptIn]:
    """The receipts of one push of the configured preset; ValueError (bilingual) if unreadable."""
    return preset().parse_receipts(body)


def receipt_ack() -> tuple[int, dict[str, Any]]:
    """What the receipt webhook answers the provider: (HTTP status, JSON body)."""
    return preset().receipt_ack()


class SmsAdapter:
    channel = "sms"
    receipts = True

    # The most a preset takes in one request (Aliyun SendSms); a preset splits further itself.
    batch_size = 1000

    def send(self, reference: str, batch: Sequence[Outgoing]) -> list[Result]:
        if not settings.WANGGE["SMS_URL"]:
            reason = "未配置短信网关 / no SMS gateway configured"
            return [Result(item.delivery_id, FAILED, "no_gateway", reason) for item in batch]
        results: list[Result] = []
        items: list[Item] = []
        seen: set[str] = set()
        for item in batch:
            phone = mobile(item.address)
            if not phone:
                reason = "不是有效的手机号码 / not a valid mobile number"
                results.append(Result(item.delivery_id, FAILED, "invalid_phone", reason))
            elif phone in seen:
                reason = "同批次号码重复 / number repeated in the batch"
                results.append(Result(item.delivery_id, RETRY, "repeated_in_batch", reason))
            else:
                seen.add(phone)
                items.append((item, phone))
        if items:
            results.extend(self._send_items(reference, items))
        return results

    def _send_items(
        self, reference: str, items: Sequence[Item], alone: bool = False
    ) -> list[Result]:
        chosen = preset()
        if alone:
            requests = [made for one in items for made in chosen.requests(reference, [one])]
        else:
            requests = chosen.requests(reference, items)
        results: list[Result] = []
        answered = True
        for body, carried in requests:
            if not answered:
                reason = "前一请求未获应答，稍后再发 / an earlier request got no answer"
                results.extend(
                    Result(item.delivery_id, RETRY, "not_tried", reason) for item, _ in carried
                )
                continue
            reply = transport.post(
                settings.WANGGE["SMS_URL"],
                body,
                chosen.content_type,
                float(settings.WANGGE["SMS_TIMEOUT_SECONDS"]),
            )
            if reply.outcome:
                answered = False
                code = "no_connection" if reply.outcome == RETRY else "timeout"
                results.extend(
                    Result(item.delivery_id, reply.outcome, code, reply.detail)
                    for item, _ in carried
                )
                continue
            outcome, code, reason = chosen.read(reply)
            if outcome == FAILED and len(carried) > 1 and chosen.splits(code):
                results.extend(self._send_items(reference, carried, alone=True))
                continue
            answered = outcome in (SENT, FAILED)
            results.extend(Result(item.delivery_id, outcome, code, reason) for item, _ in carried)
        return results


ADAPTER = SmsAdapter()
