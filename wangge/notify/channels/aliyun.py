"""The Aliyun SMS preset (dysmsapi, RPC style, Version 2017-05-25): request shapes, the POP
signature, the answer's codes and the SmsReport receipt push.

- One text for every number of a batch: SendSms, PhoneNumbers comma-joined (up to 1,000).
- Texts that differ: SendBatchSms, PhoneNumberJson / SignNameJson / TemplateParamJson (up to 100).
- The approved template (SMS_TEMPLATE_CODE) is `${text}`: the rendered text goes whole as the
  template parameter `text`, so the message says exactly what the preview showed.
- OutId is the attempt's reference; each receipt carries it back as `out_id`.

Signature (Aliyun's documented RPC signing, SignatureVersion 1.0): the parameters but Signature,
sorted by name, each name and value percent-encoded (RFC 3986: only A-Z a-z 0-9 - _ . ~ stay),
joined as k=v&k=v; StringToSign = "POST&%2F&" + percentEncode(that); Signature =
base64(HMAC-SHA1(key=AccessKeySecret + "&", StringToSign)).
"""

import base64
import hashlib
import hmac
import json
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

from django.conf import settings

from wangge.notify.channels import FAILED, RETRY, SENT, UNKNOWN, Outgoing, ReceiptIn
from wangge.notify.channels.sms import mobile
from wangge.notify.channels.transport import Reply

SEND_SMS_MAX = 1000
SEND_BATCH_SMS_MAX = 100
VERSION = "2017-05-25"
# Codes that mean "not now": the batch is sent again after a backoff.
THROTTLING = frozenset(
    {"isv.BUSINESS_LIMIT_CONTROL", "Throttling.User", "Throttling", "isp.SYSTEM_ERROR"}
)
# Codes about one number of a batch (Aliyun refuses the whole request): each number is sent alone.
ONE_NUMBER = frozenset({"isv.MOBILE_NUMBER_ILLEGAL"})
# Aliyun's receipt times are Beijing time without a zone.
REPORT_ZONE = ZoneInfo("Asia/Shanghai")

Item = tuple[Outgoing, str]


def percent_encode(value: str) -> str:
    return quote(value, safe="~")


def canonical(fields: dict[str, str]) -> str:
    return "&".join(
        f"{percent_encode(name)}={percent_encode(fields[name])}" for name in sorted(fields)
    )


def signature(fields: dict[str, str], secret: str, method: str = "POST") -> str:
    string_to_sign = f"{method}&{percent_encode('/')}&{percent_encode(canonical(fields))}"
    digest = hmac.new(f"{secret}&".encode(), string_to_sign.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode("ascii")


def _params(item: Outgoing) -> dict[str, str]:
    return item.params or {"text": item.text}


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _common(action: str) -> dict[str, str]:
    wangge = settings.WANGGE
    return {
        "AccessKeyId": wangge["SMS_ACCESS_KEY_ID"],
        "Action": action,
        "Format": "JSON",
        "RegionId": "cn-hangzhou",
        "SignatureMethod": "HMAC-SHA1",
        "SignatureNonce": uuid.uuid4().hex,
        "SignatureVersion": "1.0",
        "Timestamp": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "Version": VERSION,
    }


def _signed(fields: dict[str, str]) -> bytes:
    signed = {**fields, "Signature": signature(fields, settings.WANGGE["SMS_ACCESS_KEY_SECRET"])}
    return canonical(signed).encode("ascii")


def _chunks(items: Sequence[Item], size: int) -> list[list[Item]]:
    return [list(items[start : start + size]) for start in range(0, len(items), size)]


class AliyunPreset:
    name = "aliyun"
    content_type = "application/x-www-form-urlencoded"

    def requests(self, reference: str, items: Sequence[Item]) -> list[tuple[bytes, list[Item]]]:
        """The signed request bodies for a batch, each with the items it carries."""
        template = settings.WANGGE["SMS_TEMPLATE_CODE"]
        sign_name = settings.WANGGE["SMS_SIGN_NAME"]
        same_text = len({_json(_params(item)) for item, _ in items}) == 1
        bodies = []
        if same_text:
            for chunk in _chunks(items, SEND_SMS_MAX):
                fields = {
                    **_common("SendSms"),
                    "PhoneNumbers": ",".join(phone for _, phone in chunk),
                    "SignName": sign_name,
                    "TemplateCode": template,
                    "TemplateParam": _json(_params(chunk[0][0])),
                    "OutId": reference,
                }
                bodies.append((_signed(fields), chunk))
            return bodies
        for chunk in _chunks(items, SEND_BATCH_SMS_MAX):
            fields = {
                **_common("SendBatchSms"),
                "PhoneNumberJson": _json([phone for _, phone in chunk]),
                "SignNameJson": _json([sign_name] * len(chunk)),
                "TemplateCode": template,
                "TemplateParamJson": _json([_params(item) for item, _ in chunk]),
                "OutId": reference,
            }
            bodies.append((_signed(fields), chunk))
        return bodies

    def read(self, reply: Reply) -> tuple[str, str, str]:
        """(outcome, code, reason) of an answer to one request."""
        if reply.status == 429 or reply.status >= 500:
            return RETRY, f"http_{reply.status}", "短信网关暂时不可用 / gateway unavailable"
        data = reply.json()
        if not isinstance(data, dict) or not isinstance(data.get("Code"), str):
            if reply.status == 200:
                # Something answered "200" but not in Aliyun's shape: it may have been accepted.
                return UNKNOWN, "unreadable_answer", "短信网关的应答无法识别 / unreadable answer"
            return FAILED, f"http_{reply.status}", "短信网关拒绝了请求 / gateway refused"
        code, reason = data["Code"], str(data.get("Message", ""))[:200]
        if code == "OK":
            return SENT, "", ""
        if code in THROTTLING:
            return RETRY, code, reason
        return FAILED, code, reason

    def splits(self, code: str) -> bool:
        return code in ONE_NUMBER

    def parse_receipts(self, body: bytes) -> list[ReceiptIn]:
        """SmsReport's JSON array; entries without an out_id or a readable phone are skipped (sent
        outside Wangge, or malformed), repeats within the array are kept once."""
        try:
            data = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as error:
            raise ValueError("回执不是有效的 JSON / receipt body is not valid JSON") from error
        if not isinstance(data, list):
            raise ValueError("回执应为 JSON 数组 / receipt body must be a JSON array")
        receipts: dict[tuple[str, str, str], ReceiptIn] = {}
        for entry in data:
            if not isinstance(entry, dict) or not entry.get("out_id"):
                continue
            number = mobile(str(entry.get("phone_number", "")))
            if not number:
                continue
            success = entry.get("success")
            delivered = success is True or str(success).lower() == "true"
            status = str(entry.get("err_code") or ("DELIVERED" if delivered else "FAILED"))[:40]
            receipt = ReceiptIn(
                reference=str(entry["out_id"])[:32],
                phone=number,
                status=status,
                delivered=delivered,
                reported_at=_beijing(entry.get("report_time")),
            )
            receipts.setdefault((receipt.reference, receipt.phone, receipt.status), receipt)
        return list(receipts.values())

    def receipt_ack(self) -> tuple[int, dict[str, Any]]:
        return 200, {"code": 0, "msg": "成功"}


def _beijing(value: Any) -> datetime | None:
    try:
        return datetime.strptime(str(value), "%Y-%m-%d %H:%M:%S").replace(tzinfo=REPORT_ZONE)
    except ValueError:
        return None


PRESET = AliyunPreset()
