"""A controller of each kind for tests, demos and drills (`python manage.py fake_door`,
docs/checkpoints.md "Door controllers").

`HikvisionFake` serves ISAPI's remote door control over real HTTP on 127.0.0.1 with digest
authentication: a request without credentials gets the 401 challenge, a wrong password 401 again,
a right one `ResponseStatus` OK. `RelayFake` subscribes on the broker as a Zigbee2MQTT relay does
(`<topic>/set`, the topic may hold MQTT wildcards) and answers with its state on `<topic>`.
Every command is one JSON line in the log file, {"kind", "door", "user", "answer", "at"}, written
whole and flushed under a lock. --fail-rate answers that share of commands with a device error
(ISAPI statusCode 3 "Device Error") or, for the relay, not at all."""

import json
import random
import re
import secrets
import sys
import threading
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, TextIO

from wangge.checkpoints.doors import digest
from wangge.checkpoints.doors.hikvision import ISAPI_NS
from wangge.checkpoints.doors.mqtt_relay import state_of
from wangge.core.mqtt import broker_of, client_for

REALM = "DS-K1T671M"
_DOOR_PATH = re.compile(r"^/ISAPI/AccessControl/RemoteControl/door/(\d{1,3})$")


class CommandLog:
    def __init__(self, path: str = "") -> None:
        self.lock = threading.Lock()
        self.file: TextIO | None = open(path, "a", encoding="utf-8") if path else None  # noqa: SIM115

    def write(self, **line: Any) -> None:
        line["at"] = datetime.now(UTC).isoformat(timespec="milliseconds")
        text = json.dumps(line, ensure_ascii=False) + "\n"
        with self.lock:
            if self.file is not None:
                self.file.write(text)
                self.file.flush()

    def close(self) -> None:
        if self.file is not None:
            self.file.close()


def response_status(code: int, text: str, sub_code: str, url: str) -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<ResponseStatus version="2.0" '
        f'xmlns="{ISAPI_NS}">\n<requestURL>{url}</requestURL>\n<statusCode>{code}</statusCode>\n'
        f"<statusString>{text}</statusString>\n<subStatusCode>{sub_code}</subStatusCode>\n"
        "</ResponseStatus>\n"
    ).encode()


class HikvisionFake:
    def __init__(
        self,
        *,
        port: int = 0,
        username: str = "admin",
        password: str = "",
        log: str = "",
        fail_rate: float = 0.0,
    ) -> None:
        self.username, self.password, self.fail_rate = username, password, fail_rate
        self.log = CommandLog(log)
        self.nonces: set[str] = set()
        self.random = random.Random()
        self.commands: list[dict[str, Any]] = []
        self.stopped = False
        self.server = ThreadingHTTPServer(("127.0.0.1", port), _handler(self))
        self.server.daemon_threads = True

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def answer(self, method: str, path: str, authorization: str) -> tuple[int, dict, bytes]:
        """(status, headers, body) for one request."""
        door = _DOOR_PATH.match(path)
        if method != "PUT" or door is None:
            return 404, {}, response_status(4, "Invalid Operation", "notSupport", path)
        if not authorization:
            nonce = secrets.token_hex(16)
            self.nonces.add(nonce)
            return 401, {"WWW-Authenticate": digest.challenge(REALM, nonce)}, b""
        nonce = digest.fields_of(authorization).get("nonce", "")
        if nonce not in self.nonces or not digest.valid(
            authorization, method, path, self.username, self.password
        ):
            nonce = secrets.token_hex(16)
            self.nonces.add(nonce)
            return 401, {"WWW-Authenticate": digest.challenge(REALM, nonce)}, b""
        failed = self.fail_rate > 0 and self.random.random() < self.fail_rate
        line = {"kind": "hikvision", "door": int(door[1]), "user": self.username}
        line["answer"] = "device_error" if failed else "opened"
        self.commands.append(line)
        self.log.write(**line)
        if failed:
            return 200, {}, response_status(3, "Device Error", "deviceError", path)
        return 200, {}, response_status(1, "OK", "ok", path)

    def serve(self) -> None:
        print(f"fake Hikvision door controller on {self.url}", flush=True)
        try:
            self.server.serve_forever()
        finally:
            self.server.server_close()
            self.log.close()

    def start(self) -> "HikvisionFake":
        """Serve in a daemon thread (tests); stop() ends it."""
        threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True).start()
        return self

    def stop(self) -> None:
        """Stop answering, as a controller that lost power: open connections are dropped."""
        self.stopped = True
        self.server.shutdown()
        self.server.server_close()
        self.log.close()


def _handler(fake: HikvisionFake) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _any(self) -> None:
            if fake.stopped:
                self.close_connection = True
                return
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            status, headers, body = fake.answer(
                self.command, self.path, self.headers.get("Authorization", "")
            )
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Type", "application/xml; charset=UTF-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_PUT = do_GET = do_POST = _any

        def log_message(self, format: str, *args: Any) -> None:
            """Quiet: the log file is the record."""

    return Handler


class RelayFake:
    def __init__(self, *, url: str, topic: str, log: str = "", fail_rate: float = 0.0) -> None:
        self.broker = broker_of(url)
        self.topic = topic.rstrip("/")
        self.fail_rate = fail_rate
        self.log = CommandLog(log)
        self.random = random.Random()
        self.commands: list[dict[str, Any]] = []
        self.subscribed = threading.Event()
        self.client = client_for(self.broker)
        self.client.on_connect = self._connected
        self.client.on_subscribe = lambda *args: self.subscribed.set()
        self.client.on_message = self._command

    def _connected(self, client: Any, userdata: Any, flags: Any, code: Any, props: Any) -> None:
        if code.is_failure:
            print(f"broker refused the fake relay: {code}", file=sys.stderr, flush=True)
            return
        client.subscribe(f"{self.topic}/set", qos=1)

    def _command(self, client: Any, userdata: Any, message: Any) -> None:
        if message.retain:
            return
        relay = message.topic.removesuffix("/set")
        failed = self.fail_rate > 0 and self.random.random() < self.fail_rate
        line = {"kind": "mqtt", "door": relay, "user": "", "state": state_of(message.payload)}
        line["answer"] = "no_answer" if failed else "opened"
        self.commands.append(line)
        self.log.write(**line)
        if not failed:
            client.publish(relay, json.dumps({"state": "ON", "linkquality": 120}), qos=1)

    def serve(self) -> None:
        """Until killed: connect (retrying while the broker is down) and answer."""
        print(f"fake MQTT relay on {self.topic}/set", flush=True)
        self.client.reconnect_delay_set(min_delay=1, max_delay=5)
        self.client.connect_async(self.broker.host, self.broker.port, keepalive=30)
        self.client.loop_forever(retry_first_connection=True)

    def start(self, timeout: float = 10) -> "RelayFake":
        """Answer in paho's thread (tests), once subscribed; stop() ends it."""
        self.client.connect(self.broker.host, self.broker.port, keepalive=30)
        self.client.loop_start()
        if not self.subscribed.wait(timeout):
            raise RuntimeError("the fake relay could not subscribe")
        return self

    def stop(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()
        self.log.close()
