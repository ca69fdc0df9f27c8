"""Reading what devices send: Zigbee2MQTT door states and Hikvision camera events, and refusing
everything else with a stable code."""

from datetime import UTC, datetime

import pytest

from wangge.devices.fakes import hikvision_xml, zigbee_payload
from wangge.devices.payloads import HIKVISION_NS, PayloadError, read_hikvision, read_zigbee


def test_contact_false_means_the_door_opened_and_is_an_alarm():
    reading = read_zigbee(b'{"contact": false, "battery": 87, "linkquality": 120}')
    assert (reading.kind, reading.alarm, reading.battery) == ("opened", True, 87)


def test_contact_true_is_a_closed_door_and_no_alarm():
    reading = read_zigbee(zigbee_payload(contact=True, battery=55))
    assert (reading.kind, reading.alarm, reading.battery) == ("closed", False, 55)


def test_a_battery_report_alone_is_a_reading_without_alarm():
    reading = read_zigbee(b'{"battery": 12.6, "voltage": 2900}')
    assert (reading.kind, reading.alarm, reading.battery) == ("report", False, 13)


def test_zigbee2mqtt_last_seen_is_the_device_time():
    reading = read_zigbee(b'{"contact": false, "last_seen": "2022-07-01T09:00:00+08:00"}')
    assert reading.at == datetime(2022, 7, 1, 1, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        (b"{not json", "bad_json"),
        (b"\xff\xfe", "bad_json"),
        (b"[1, 2]", "bad_json"),
        (b'{"contact": "open"}', "bad_contact"),
        (b'{"contact": 0}', "bad_contact"),
        (b'{"contact": true, "battery": "high"}', "bad_battery"),
        (b'{"contact": true, "battery": true}', "bad_battery"),
        (b'{"contact": true, "battery": 180}', "bad_battery"),
        (b'{"linkquality": 120}', "nothing_to_record"),
        (b'{"contact": false, "last_seen": "yesterday"}', "bad_time"),
    ],
)
def test_a_bad_zigbee_payload_is_refused_with_its_code(raw, code):
    with pytest.raises(PayloadError) as refused:
        read_zigbee(raw)
    assert refused.value.code == code
    assert " / " in str(refused.value)


def test_a_hikvision_motion_event_is_an_alarm_with_its_fields():
    at = datetime(2022, 7, 1, 9, 0, tzinfo=UTC)
    reading = read_hikvision(hikvision_xml(event_type="linedetection", at=at))
    assert (reading.kind, reading.alarm, reading.at) == ("linedetection", True, at)
    assert reading.details["ipAddress"] == "192.168.1.64"
    assert reading.details["channelID"] == "1"
    assert reading.details["eventState"] == "active"


def test_an_inactive_event_or_a_videoloss_heartbeat_is_no_alarm():
    assert not read_hikvision(hikvision_xml(event_type="VMD", active=False)).alarm
    assert not read_hikvision(hikvision_xml(event_type="videoloss")).alarm


def _xml(body: str) -> bytes:
    return (
        f'<EventNotificationAlert xmlns="{HIKVISION_NS}">{body}</EventNotificationAlert>'.encode()
    )


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        (b"<EventNotificationAlert><unclosed>", "bad_xml"),
        (b"<Other/>", "bad_xml"),
        (
            b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;">]>'
            b"<EventNotificationAlert>&b;</EventNotificationAlert>",
            "bad_xml",
        ),
        (_xml("<eventType>VMD</eventType><eventState>active</eventState>"), "missing_field"),
        (
            _xml(
                "<eventType>VMD</eventType><eventState>on</eventState>"
                "<dateTime>2022-07-01T09:00:00+08:00</dateTime>"
            ),
            "bad_state",
        ),
        (
            _xml(
                "<eventType>VMD</eventType><eventState>active</eventState>"
                "<dateTime>2022-07-01T09:00:00+08:00</dateTime><channelID>one</channelID>"
            ),
            "bad_number",
        ),
        (
            _xml(
                "<eventType>VMD</eventType><eventState>active</eventState><dateTime>soon</dateTime>"
            ),
            "bad_time",
        ),
    ],
)
def test_a_bad_camera_payload_is_refused_with_its_code(raw, code):
    with pytest.raises(PayloadError) as refused:
        read_hikvision(raw)
    assert refused.value.code == code
