"""What devices send, read into one `Reading`: a door sensor's Zigbee2MQTT JSON, and a camera's
Hikvision ISAPI `EventNotificationAlert` XML. Anything else is refused with a `PayloadError`
naming what is wrong; nothing here touches the database."""

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring
from django.utils import timezone
from django.utils.dateparse import parse_datetime

HIKVISION_NS = "http://www.hikvision.com/ver20/XMLSchema"
# Camera event types that mean a person moved or crossed a line (Hikvision's names, lower case,
# with the words the alert uses); others (videoloss heartbeats, tampering, storage faults) are
# stored without alerting.
CAMERA_ALARMS = {
    "vmd": "移动侦测",
    "linedetection": "越界侦测",
    "fielddetection": "区域入侵",
    "pir": "人体感应",
    "regionentrance": "进入区域",
    "regionexiting": "离开区域",
    "peopledetection": "人体检测",
    "humandetection": "人体检测",
}


class PayloadError(ValueError):
    """A payload refused; `code` is stable (for logs and API answers), the message bilingual."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Reading:
    kind: str  # opened, closed, report; a camera's event type
    alarm: bool
    battery: int | None = None
    at: datetime | None = None  # the device's own time, when it sent one
    details: dict[str, Any] = field(default_factory=dict)


def _battery(value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 100:
        raise PayloadError(
            "bad_battery", f"battery 应为0–100的数 / battery must be a number 0–100: {value!r}"
        )
    return round(value)


def _time(value: Any) -> datetime | None:
    """Zigbee2MQTT's `last_seen`: ISO 8601 text or epoch milliseconds; absent is fine."""
    if value is None:
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return datetime.fromtimestamp(value / 1000, tz=timezone.get_current_timezone())
    if isinstance(value, str):
        parsed = parse_datetime(value)
        if parsed is not None:
            if timezone.is_naive(parsed):
                parsed = timezone.make_aware(parsed)
            return parsed
    raise PayloadError("bad_time", f"时间格式错误 / unreadable time: {value!r}")


def read_zigbee(raw: bytes) -> Reading:
    """A Zigbee2MQTT door sensor state: `{"contact": false, "battery": 87, "linkquality": 120}`.
    `contact` false means the door is open."""
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise PayloadError("bad_json", "不是有效的JSON / not valid JSON") from error
    if not isinstance(data, dict):
        raise PayloadError("bad_json", "应为JSON对象 / a JSON object is expected")
    contact = data.get("contact")
    if contact is not None and not isinstance(contact, bool):
        raise PayloadError(
            "bad_contact", f"contact 应为 true/false / contact must be true or false: {contact!r}"
        )
    battery = _battery(data.get("battery"))
    if contact is None and battery is None:
        raise PayloadError(
            "nothing_to_record", "缺少 contact 或 battery / neither contact nor battery given"
        )
    kind = "report" if contact is None else ("closed" if contact else "opened")
    details = {key: data[key] for key in ("contact", "battery", "linkquality") if key in data}
    return Reading(
        kind=kind,
        alarm=contact is False,
        battery=battery,
        at=_time(data.get("last_seen")),
        details=details,
    )


def _local(element: Element) -> str:
    return element.tag.rsplit("}", 1)[-1]


def read_hikvision(raw: bytes) -> Reading:
    """A Hikvision ISAPI `EventNotificationAlert`: eventType, eventState (active or inactive) and
    dateTime are required; the other fields are kept as they came."""
    try:
        root = fromstring(raw)
    except (ParseError, DefusedXmlException, ValueError) as error:
        raise PayloadError("bad_xml", "不是有效的XML / not valid XML") from error
    if _local(root) != "EventNotificationAlert":
        raise PayloadError(
            "bad_xml", "应为 EventNotificationAlert / an EventNotificationAlert is expected"
        )
    fields = {_local(child): (child.text or "").strip() for child in root if len(child) == 0}
    missing = [name for name in ("eventType", "eventState", "dateTime") if not fields.get(name)]
    if missing:
        raise PayloadError("missing_field", f"缺少字段 / missing fields: {', '.join(missing)}")
    state = fields["eventState"].lower()
    if state not in {"active", "inactive"}:
        raise PayloadError(
            "bad_state",
            f"eventState 应为 active/inactive / eventState must be active or inactive: {state!r}",
        )
    for number in ("channelID", "portNo", "activePostCount"):
        if fields.get(number) and not fields[number].isdigit():
            raise PayloadError(
                "bad_number", f"{number} 应为整数 / {number} must be an integer: {fields[number]!r}"
            )
    event_type = fields["eventType"]
    kept = (
        "ipAddress",
        "portNo",
        "protocol",
        "macAddress",
        "channelID",
        "dateTime",
        "activePostCount",
        "eventType",
        "eventState",
        "eventDescription",
    )
    return Reading(
        kind=event_type[:40],
        alarm=state == "active" and event_type.lower() in CAMERA_ALARMS,
        at=_time(fields["dateTime"]),
        details={name: fields[name][:200] for name in kept if name in fields},
    )
