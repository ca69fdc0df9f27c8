"""A stand-in for the SMS gateway (Aliyun's shapes) and the DingTalk and WeCom robot webhooks, for
tests, demos and drills (`python manage.py fake_gateway`, docs/notify.md "The fake gateway").

HTTP on 127.0.0.1: POST /sms (Aliyun SendSms/SendBatchSms form fields), POST /robot/send?
access_token=T (DingTalk), POST /cgi-bin/webhook/send?key=K (WeCom). Every accepted message is one
JSON line in the log file, {"channel", "to", "reference", "text"} (robots add "mentions"), written
whole and flushed under a lock. Accepted SMS get a DELIVERED receipt pushed later, in JSON arrays,
by a background thread, to the receipt URL.

Misbehaviour on demand: --fail-rate refuses a share of numbers (chosen by the number's hash, so a
number refused once is always refused) with isv.MOBILE_NUMBER_ILLEGAL for the whole request, as
Aliyun does; nothing is sent for it, so no receipt is pushed. --throttle-per-minute answers
throttling codes beyond N accepted requests a minute (per SMS account, per robot).
--duplicate-receipts pushes each receipt twice, the arrays in reverse order of sending.
--timeout-rate accepts a share of requests (logs them, pushes their receipts) and then holds the
answer for --hold seconds, longer than the client waits, so the client sees a timeout.
"""

import hashlib
import json
import random
import sys
import threading
import time
import urllib.request
import uuid
from collections import deque
from dataclasses import dataclass
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

BEIJING = ZoneInfo("Asia/Shanghai")
SIGNATURE_FIELDS = (
    "AccessKeyId",
    "Action",
    "Format",
    "SignatureMethod",
    "SignatureNonce",
    "SignatureVersion",
    "Signature",
    "Timestamp",
    "Version",
)
RECEIPTS_PER_PUSH = 100
PUSH_TRIES = 3


@dataclass(frozen=True)
class Options:
    port: int
    log: str
    receipt_url: str
    fail_rate: float = 0.0
    throttle_per_minute: int = 0
    duplicate_receipts: bool = False
    delay_receipts: float = 1.0
    timeout_rate: float = 0.0
    hold: float = 15.0


def refused(phone: str, rate: float) -> bool:
    """Whether --fail-rate refuses this number: the same answer every time."""
    share = int(hashlib.sha256(phone.encode()).hexdigest()[:8], 16) / 0xFFFFFFFF
    return share < rate


class ReceiptPusher(threading.Thread):
    """Pushes receipts when due, as JSON arrays, retrying a failed push a few times."""

    def __init__(self, options: Options):
        super().__init__(daemon=True, name="receipts")
        self.options = options
        self.due: list[tuple[float, list[dict[str, Any]]]] = []
        self.wake = threading.Condition()

    def schedule(self, receipts: list[dict[str, Any]]) -> None:
        delay = self.options.delay_receipts
        with self.wake:
            if self.options.duplicate_receipts:
                self.due.append((time.monotonic() + delay, list(reversed(receipts))))
                self.due.append((time.monotonic() + delay * 1.5 + 0.2, list(receipts)))
            else:
                self.due.append((time.monotonic() + delay, list(receipts)))
            self.wake.notify()

    def run(self) -> None:
        while True:
            with self.wake:
                while not self.due or min(at for at, _ in self.due) > time.monotonic():
                    waits = [at - time.monotonic() for at, _ in self.due]
                    self.wake.wait(timeout=max(0.01, min(waits)) if waits else None)
                now = time.monotonic()
                ready = [receipts for at, receipts in self.due if at <= now]
                self.due = [(at, receipts) for at, receipts in self.due if at > now]
            batch = [receipt for receipts in ready for receipt in receipts]
            for start in range(0, len(batch), RECEIPTS_PER_PUSH):
                self.push(batch[start : start + RECEIPTS_PER_PUSH])

    def push(self, receipts: list[dict[str, Any]]) -> None:
        body = json.dumps(receipts, ensure_ascii=False).encode("utf-8")
        for attempt in range(PUSH_TRIES):
            call = urllib.request.Request(
                self.options.receipt_url,
                data=body,
                headers={"Content-Type": "application/json"},
                method="POST",
            )
            try:
                with urllib.request.urlopen(call, timeout=10) as answer:
                    if answer.status == 200:
                        return
            except OSError as error:
                print(f"receipt push failed: {error}", file=sys.stderr, flush=True)
            time.sleep(2**attempt)


class Gateway:
    def __init__(self, options: Options):
        self.options = options
        self.log_lock = threading.Lock()
        self.log_file = open(options.log, "a", encoding="utf-8")  # noqa: SIM115 (open while serving)
        self.windows: dict[str, deque[float]] = {}
        self.window_lock = threading.Lock()
        self.pusher = ReceiptPusher(options)
        self.random = random.Random()

    def write(self, lines: list[dict[str, Any]]) -> None:
        text = "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines)
        with self.log_lock:
            self.log_file.write(text)
            self.log_file.flush()

    def over_budget(self, key: str) -> bool:
        """Counts an accepted request of `key`; True (and not counted) beyond the budget."""
        limit = self.options.throttle_per_minute
        if limit <= 0:
            return False
        with self.window_lock:
            window = self.windows.setdefault(key, deque())
            now = time.monotonic()
            while window and window[0] <= now - 60:
                window.popleft()
            if len(window) >= limit:
                return True
            window.append(now)
            return False

    def times_out(self) -> bool:
        return self.options.timeout_rate > 0 and self.random.random() < self.options.timeout_rate

    def sms(self, fields: dict[str, str]) -> tuple[int, dict[str, Any]]:
        request_id = str(uuid.uuid4()).upper()
        missing = [name for name in SIGNATURE_FIELDS if not fields.get(name)]
        if missing:
            return 400, _aliyun("MissingParameter", f"missing {', '.join(missing)}", request_id)
        try:
            phones, texts = _numbers_and_texts(fields)
        except (ValueError, KeyError, TypeError) as error:
            return 200, _aliyun(
                "isv.INVALID_PARAMETERS", f"invalid parameters: {error}", request_id
            )
        if self.over_budget(f"sms:{fields['AccessKeyId']}"):
            return 200, _aliyun("isv.BUSINESS_LIMIT_CONTROL", "触发分钟级流控", request_id)
        bad = [phone for phone in phones if refused(phone, self.options.fail_rate)]
        if bad:
            return 200, _aliyun("isv.MOBILE_NUMBER_ILLEGAL", f"非法手机号 {bad[0]}", request_id)
        reference = fields.get("OutId") or None
        self.write(
            [
                {"channel": "sms", "to": phone, "reference": reference, "text": text}
                for phone, text in zip(phones, texts, strict=True)
            ]
        )
        biz_id = f"{random.randrange(10**14, 10**15)}^0"
        sent = datetime.now(BEIJING).strftime("%Y-%m-%d %H:%M:%S")
        self.pusher.schedule(
            [
                _receipt(phone, text, sent, biz_id, reference)
                for phone, text in zip(phones, texts, strict=True)
            ]
        )
        return 200, {"Code": "OK", "Message": "OK", "BizId": biz_id, "RequestId": request_id}

    def robot(self, channel: str, token: str, payload: Any) -> tuple[int, dict[str, Any]]:
        if not token:
            return 200, {"errcode": 300001, "errmsg": "token is not exist"}
        if not isinstance(payload, dict):
            return 200, {"errcode": 40035, "errmsg": "invalid json"}
        kind = payload.get("msgtype")
        content = payload.get(kind) if isinstance(kind, str) else None
        if not isinstance(content, dict):
            return 200, {"errcode": 40008, "errmsg": "invalid message type"}
        if channel == "dingtalk":
            text = content.get("content") or content.get("text") or ""
            mentions = (payload.get("at") or {}).get("atMobiles") or []
            throttled = {"errcode": 130101, "errmsg": "send too fast, exceed 20 times per minute"}
        else:
            text = content.get("content") or ""
            mentions = content.get("mentioned_mobile_list") or []
            throttled = {"errcode": 45009, "errmsg": "api freq out of limit"}
        if self.over_budget(f"{channel}:{token}"):
            return 200, throttled
        self.write(
            [
                {
                    "channel": channel,
                    "to": token,
                    "reference": None,
                    "text": text,
                    "mentions": mentions,
                }
            ]
        )
        return 200, {"errcode": 0, "errmsg": "ok"}

    def serve(self) -> None:
        self.pusher.start()
        server = ThreadingHTTPServer(("127.0.0.1", self.options.port), _handler(self))
        server.daemon_threads = True
        print(f"fake gateway listening on 127.0.0.1:{self.options.port}", flush=True)
        try:
            server.serve_forever()
        finally:
            server.server_close()
            self.log_file.close()


def _aliyun(code: str, message: str, request_id: str) -> dict[str, Any]:
    return {"Code": code, "Message": message, "RequestId": request_id}


def _numbers_and_texts(fields: dict[str, str]) -> tuple[list[str], list[str]]:
    if fields["Action"] == "SendSms":
        phones = [phone for phone in fields["PhoneNumbers"].split(",") if phone]
        text = str(json.loads(fields.get("TemplateParam") or "{}").get("text", ""))
        return phones, [text] * len(phones)
    if fields["Action"] == "SendBatchSms":
        phones = [str(phone) for phone in json.loads(fields["PhoneNumberJson"])]
        signs = json.loads(fields["SignNameJson"])
        params = json.loads(fields.get("TemplateParamJson") or "[]")
        if len(signs) != len(phones) or len(params) != len(phones):
            raise ValueError("PhoneNumberJson, SignNameJson and TemplateParamJson differ in length")
        return phones, [str(param.get("text", "")) for param in params]
    raise ValueError(f"unknown Action {fields['Action']}")


def _receipt(
    phone: str, text: str, sent: str, biz_id: str, reference: str | None
) -> dict[str, Any]:
    return {
        "phone_number": phone,
        "send_time": sent,
        "report_time": datetime.now(BEIJING).strftime("%Y-%m-%d %H:%M:%S"),
        "success": True,
        "err_code": "DELIVERED",
        "err_msg": "用户接收成功",
        "sms_size": str(1 if len(text) <= 70 else -(-len(text) // 67)),
        "biz_id": biz_id,
        "out_id": reference or "",
    }


def _handler(gateway: Gateway) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:
            url = urlsplit(self.path)
            query = {name: values[0] for name, values in parse_qs(url.query).items()}
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            if url.path == "/sms":
                fields = {
                    name: values[0]
                    for name, values in parse_qs(
                        body.decode("utf-8"), keep_blank_values=True
                    ).items()
                }
                status, answer = gateway.sms(fields)
            elif url.path in ("/robot/send", "/cgi-bin/webhook/send"):
                channel = "dingtalk" if url.path == "/robot/send" else "wecom"
                token = query.get("access_token" if channel == "dingtalk" else "key", "")
                if channel == "dingtalk" and "timestamp" in query and not query.get("sign"):
                    status, answer = 200, {"errcode": 310000, "errmsg": "sign not match"}
                else:
                    status, answer = gateway.robot(channel, token, _json(body))
            else:
                status, answer = 404, {"message": "not found"}
            accepted = answer.get("Code") == "OK" or answer.get("errcode") == 0
            if accepted and gateway.times_out():
                time.sleep(gateway.options.hold)
            self.answer(status, answer)

        def answer(self, status: int, answer: dict[str, Any]) -> None:
            data = json.dumps(answer, ensure_ascii=False).encode("utf-8")
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json;charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            except OSError:
                self.close_connection = True

        def log_message(self, format: str, *args: Any) -> None:
            """Quiet: the log file is the record."""

    return Handler


def _json(body: bytes) -> Any:
    try:
        return json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
