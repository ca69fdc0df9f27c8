"""A relay behind the MQTT broker (WANGGE_MQTT_URL), in Zigbee2MQTT's shape, so that a stock
Zigbee relay wired to the gate's lock needs configuration, not a gateway: the command
`{"state": "ON", "on_time": N}` is published with QoS 1 on `<topic>/set`, and the relay's new
state, `{"state": "ON", …}` on `<topic>`, is its acknowledgement. A retained state (what the
broker kept from earlier) is not one.

No broker, or no acknowledgement within the deadline, is UNREACHABLE; a state other than ON in
answer is REFUSED."""

import json
import threading
import time
from typing import Any

from django.conf import settings

from wangge.checkpoints.doors.base import OPENED, REFUSED, UNREACHABLE, Answer, Target, cut
from wangge.core.mqtt import broker_of, client_for


def command(pulse_seconds: int) -> bytes:
    return json.dumps({"state": "ON", "on_time": pulse_seconds}).encode()


def state_of(payload: bytes) -> str:
    """The `state` of a relay's message, upper case; blank when it carries none."""
    try:
        value = json.loads(payload.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return ""
    return str(value.get("state", "")).upper() if isinstance(value, dict) else ""


class _Exchange:
    """One command and its acknowledgement over a connection of its own."""

    def __init__(self, topic: str) -> None:
        self.topic = topic
        self.subscribed = threading.Event()
        self.answered = threading.Event()
        self.state = ""

    def connected(self, client: Any, userdata: Any, flags: Any, code: Any, props: Any) -> None:
        if not code.is_failure:
            client.subscribe(self.topic, qos=1)

    def on_subscribe(self, client: Any, userdata: Any, mid: int, codes: Any, props: Any) -> None:
        self.subscribed.set()

    def message(self, client: Any, userdata: Any, message: Any) -> None:
        if message.retain or self.answered.is_set():
            return
        state = state_of(message.payload)
        if state:
            self.state = state
            self.answered.set()


def open_door(target: Target, timeout: float) -> Answer:
    wangge = settings.WANGGE
    deadline = time.monotonic() + timeout
    broker = broker_of(wangge["MQTT_URL"])
    topic = target.address.strip().rstrip("/")
    exchange = _Exchange(topic)
    client = client_for(broker)
    client.on_connect = exchange.connected
    client.on_subscribe = exchange.on_subscribe
    client.on_message = exchange.message
    client.connect_timeout = max(timeout, 0.1)
    try:
        client.connect(broker.host, broker.port, keepalive=30)
    except (OSError, ValueError) as error:
        return Answer(UNREACHABLE, cut(f"MQTT {broker.host}:{broker.port}: {error}"))
    client.loop_start()
    try:
        if not exchange.subscribed.wait(max(deadline - time.monotonic(), 0)):
            return Answer(
                UNREACHABLE, f"MQTT {broker.host}:{broker.port}: 未能订阅 / no subscription"
            )
        pulse = int(wangge["DOOR_RELAY_PULSE_SECONDS"])
        client.publish(f"{topic}/set", command(pulse), qos=1)
        if not exchange.answered.wait(max(deadline - time.monotonic(), 0)):
            return Answer(UNREACHABLE, cut(f"继电器未应答 / no answer on {topic} in {timeout:g} s"))
    finally:
        client.disconnect()
        client.loop_stop()
    if exchange.state == "ON":
        return Answer(OPENED)
    return Answer(REFUSED, cut(f"继电器状态 / relay state {exchange.state}"))
