"""Reaching the MQTT broker (WANGGE_MQTT_URL): its address read from the URL, and a paho client
for it. The devices' listener and the checkpoints' door relays share the one broker."""

import ssl
import uuid
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

import paho.mqtt.client as mqtt


@dataclass(frozen=True)
class Broker:
    host: str
    port: int
    tls: bool = False
    username: str | None = None
    password: str | None = None


def broker_of(url: str) -> Broker:
    """`mqtt://host:1883`, `mqtts://user:password@host:8883`."""
    parts = urlsplit(url)
    if parts.scheme not in {"mqtt", "mqtts"} or not parts.hostname:
        raise ValueError(
            f"WANGGE_MQTT_URL 应为 mqtt://主机:端口 / must look like mqtt://host:port: {url!r}"
        )
    tls = parts.scheme == "mqtts"
    return Broker(
        host=parts.hostname,
        port=parts.port or (8883 if tls else 1883),
        tls=tls,
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
    )


def client_for(broker: Broker, client_id: str = "") -> mqtt.Client:
    client = mqtt.Client(
        mqtt.CallbackAPIVersion.VERSION2, client_id=client_id or f"wangge-{uuid.uuid4().hex[:8]}"
    )
    if broker.username:
        client.username_pw_set(broker.username, broker.password)
    if broker.tls:
        client.tls_set(cert_reqs=ssl.CERT_REQUIRED)
    return client
