"""The two shapes real devices send, built for `fake_device`, the tests and the demo: Zigbee2MQTT's
JSON door-sensor state, and a Hikvision ISAPI EventNotificationAlert (plain XML, or multipart with a
picture)."""

import json
import urllib.error
import urllib.request
import uuid
from datetime import datetime
from xml.sax.saxutils import escape

from django.utils import timezone

from wangge.core.mqtt import broker_of, client_for
from wangge.devices.payloads import HIKVISION_NS

# A few JPEG bytes standing in for the snapshot a camera attaches as detectionPicture.
PICTURE = bytes.fromhex(
    "ffd8ffe000104a46494600010100000100010000ffdb004300080606070605080707070909080a0c140d0c0b0b0c1912"
    "130f141d1a1f1e1d1a1c1c20242e2720222c231c1c2837292c30313434341f27393d38323c2e333432ffc0000b0800"
    "01000101011100ffc4001f0000010501010101010100000000000000000102030405060708090a0bffda0008010100"
    "003f00d2cf20ffd9"
)


def zigbee_payload(*, contact: bool, battery: int | None = 87, linkquality: int = 120) -> bytes:
    """A Zigbee2MQTT door sensor's state (Aqara MCCGQ11LM and the like)."""
    state: dict[str, object] = {"contact": contact, "linkquality": linkquality}
    if battery is not None:
        state["battery"] = battery
    return json.dumps(state).encode()


def publish(url: str, topic_name: str, payload: bytes, timeout: float = 10) -> None:
    """Publish one message with QoS 1 and wait until the broker has it."""
    broker = broker_of(url)
    client = client_for(broker)
    client.connect(broker.host, broker.port, keepalive=30)
    client.loop_start()
    try:
        client.publish(topic_name, payload, qos=1).wait_for_publish(timeout)
    finally:
        client.disconnect()
        client.loop_stop()


def hikvision_xml(
    *, event_type: str = "VMD", active: bool = True, at: datetime | None = None, channel: int = 1
) -> bytes:
    at = timezone.localtime(at or timezone.now())
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<EventNotificationAlert version="2.0" xmlns="{HIKVISION_NS}">
<ipAddress>192.168.1.64</ipAddress>
<portNo>80</portNo>
<protocol>HTTP</protocol>
<macAddress>44:19:b6:6d:24:85</macAddress>
<channelID>{channel}</channelID>
<dateTime>{at.isoformat(timespec="seconds")}</dateTime>
<activePostCount>1</activePostCount>
<eventType>{escape(event_type)}</eventType>
<eventState>{"active" if active else "inactive"}</eventState>
<eventDescription>{escape(event_type)} alarm</eventDescription>
</EventNotificationAlert>
""".encode()


def multipart(xml: bytes, *, event_type: str = "VMD") -> tuple[bytes, str]:
    """The XML as one part and a picture as another, as a camera posts them; (body, content type)."""
    boundary = f"boundary{uuid.uuid4().hex}"
    name = event_type.lower()
    parts = [
        (f'name="{name}"; filename="{name}.xml"', "application/xml", xml),
        ('name="detectionPicture"; filename="detectionPicture.jpg"', "image/jpeg", PICTURE),
    ]
    body = b""
    for disposition, content_type, content in parts:
        body += (
            f"--{boundary}\r\nContent-Disposition: form-data; {disposition}\r\n"
            f"Content-Type: {content_type}\r\nContent-Length: {len(content)}\r\n\r\n"
        ).encode()
        body += content + b"\r\n"
    body += f"--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


def post_camera(
    base_url: str, serial: str, token: str, xml: bytes, *, picture: bool = False
) -> tuple[int, str]:
    """POST to the camera hook; (HTTP status, body)."""
    body, content_type = multipart(xml) if picture else (xml, "application/xml")
    url = f"{base_url.rstrip('/')}/devices/hook/{serial}/{token}/"
    request = urllib.request.Request(
        url, data=body, method="POST", headers={"Content-Type": content_type}
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()
