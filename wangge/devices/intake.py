"""Taking a reading in: the device is found by serial and its token checked, the payload read, the
reading stored, and the alerts raised. Every refusal is logged (logger `wangge.devices`) with its
stable code and raised as a PayloadError; nothing a device sends can do more than be refused."""

import hmac
import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from wangge.devices.alerts import battery_check, intrusion_alert, measure_in_force, setting
from wangge.devices.models import Device, DeviceEvent
from wangge.devices.payloads import PayloadError, Reading, read_hikvision, read_zigbee
from wangge.regions.models import Household

log = logging.getLogger("wangge.devices")


def device_authenticate(serial: str, token: str, kind: str) -> Device:
    """The device in service with this serial and token, of this kind; else PayloadError."""
    device = Device.objects.filter(serial=serial[:64]).first()
    if device is None:
        raise PayloadError("unknown_device", f"未登记的设备 / unknown device: {serial[:64]!r}")
    if not hmac.compare_digest(device.token_digest, Device.digest_of(token)):
        raise PayloadError("bad_token", f"设备令牌错误 / wrong token for device {device.serial}")
    if not device.in_service:
        raise PayloadError("revoked", f"设备已停用 / device {device.serial} is revoked")
    if device.kind != kind:
        raise PayloadError(
            "wrong_kind",
            f"设备{device.serial}不是{Device.Kind(kind).label} / device {device.serial} "
            f"is not a {kind}",
        )
    return device


def _occurred(reading: Reading, received_at: datetime) -> datetime:
    skew = timedelta(seconds=setting("DEVICE_CLOCK_SKEW_SECONDS"))
    if reading.at is None or abs(reading.at - received_at) > skew:
        return received_at
    return reading.at


@transaction.atomic
def reading_record(*, device: Device, reading: Reading, received_at: datetime) -> DeviceEvent:
    """Store the reading; an alarm on a household whose measure is in force raises (or joins) its
    alert; a low battery alerts maintenance. The household row is locked, so the events of one
    household are taken one at a time."""
    Household.objects.select_for_update().filter(pk=device.household_id).first()
    device = (
        Device.objects.select_for_update(of=("self",))
        .select_related("household__building__compound", "measure__person")
        .get(pk=device.pk)
    )
    event = DeviceEvent.objects.create(
        device=device,
        kind=reading.kind,
        alarm=reading.alarm,
        battery=reading.battery,
        occurred_at=_occurred(reading, received_at),
        received_at=received_at,
        payload=reading.details,
    )
    if reading.alarm and measure_in_force(device):
        event.alert = intrusion_alert(event)
        event.save(update_fields=["alert"])
    device.last_seen_at = received_at
    device.silence_alerted_at = None
    if reading.battery is not None:
        device.battery = reading.battery
        battery_check(device, reading.battery)
    device.save(
        update_fields=["last_seen_at", "silence_alerted_at", "battery", "battery_alerted_at"]
    )
    return event


def _take(
    channel: str, serial: str, token: str, kind: str, read: Callable[[], Reading]
) -> DeviceEvent:
    received_at = timezone.now()
    try:
        device = device_authenticate(serial, token, kind)
        reading = read()
    except PayloadError as error:
        log.warning("%s refused (%s) from %r: %s", channel, error.code, serial[:64], error)
        raise
    event = reading_record(device=device, reading=reading, received_at=received_at)
    log.info("%s %s from %s stored as event %s", channel, reading.kind, device.serial, event.pk)
    return event


def mqtt_topic(serial: str, token: str) -> str:
    """Where a door sensor publishes: Zigbee2MQTT with base_topic DEVICE_MQTT_TOPIC and the
    device's friendly_name set to `<serial>/<token>`."""
    return f"{setting('DEVICE_MQTT_TOPIC').rstrip('/')}/{serial}/{token}"


def take_mqtt(topic: str, payload: bytes) -> DeviceEvent | None:
    """A message on `<DEVICE_MQTT_TOPIC>/<serial>/<token>`. Zigbee2MQTT's own side topics under a
    device (`…/availability`, `…/set`, `…/get`) carry no reading and are passed over (None)."""
    prefix = setting("DEVICE_MQTT_TOPIC").rstrip("/") + "/"
    parts = topic[len(prefix) :].split("/") if topic.startswith(prefix) else []
    if len(parts) == 3 and parts[2] in {"availability", "set", "get"}:
        return None
    if len(parts) != 2 or not all(parts):
        log.warning("mqtt refused (bad_topic) on %r: expected %s<serial>/<token>", topic, prefix)
        raise PayloadError(
            "bad_topic",
            f"主题应为 {prefix}<序列号>/<令牌> / topic must be {prefix}<serial>/<token>",
        )
    serial, token = parts
    return _take("mqtt", serial, token, Device.Kind.DOOR_SENSOR, lambda: read_zigbee(payload))


def take_camera(serial: str, token: str, xml: bytes) -> DeviceEvent:
    """A camera's EventNotificationAlert posted to /devices/hook/<serial>/<token>/."""
    return _take("http", serial, token, Device.Kind.CAMERA, lambda: read_hikvision(xml))
