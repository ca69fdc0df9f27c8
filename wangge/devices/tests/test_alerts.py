"""What a reading leads to: one alert to the grid worker and the police (and a command-centre event)
for an event on a household whose measure is in force, events within the merge window joined to it,
events outside a measure stored only, and maintenance alerts for a low battery or a silent device."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from wangge.command.models import Event
from wangge.core.models import Alert
from wangge.devices.alerts import silent_devices_alert
from wangge.devices.fakes import hikvision_xml, zigbee_payload
from wangge.devices.intake import mqtt_topic, take_camera, take_mqtt
from wangge.devices.models import DeviceAlert, DeviceEvent
from wangge.devices.payloads import PayloadError
from wangge.measures.services import measure_end_early

OPENED = zigbee_payload(contact=False)


@pytest.fixture
def clock():
    """09:00 today in Beijing, standing still (the day the measure starts, whatever the hour in
    UTC). Tests ask for it before `door`, so that the device is registered on this clock:
    registered on the real one, after 09:00, it would be younger than the silences the tests
    measure."""
    nine = timezone.localtime().replace(hour=9, minute=0, second=0, microsecond=0)
    with time_machine.travel(nine, tick=False) as traveller:
        yield traveller


def _open(door, payload: bytes = OPENED) -> DeviceEvent | None:
    device, token = door
    return take_mqtt(mqtt_topic(device.serial, token), payload)


def test_a_door_opened_under_an_active_measure_alerts_grid_worker_and_police_once(
    world, pete, door, clock
):
    # when the door sensor reports the door open
    event = _open(door)

    # then one alert, to the grid worker and the police officer, with its delay recorded
    alert = DeviceAlert.objects.get()
    assert event.alert == alert and event.alarm
    assert (alert.kind, alert.event_count) == (DeviceAlert.Kind.INTRUSION, 1)
    assert alert.delay == timedelta(0)  # the clock stands still
    recipients = set(
        Alert.objects.filter(kind="device_intrusion").values_list("recipient", flat=True)
    )
    assert recipients == {world.users["gavin"].pk, pete.pk}
    text = Alert.objects.filter(kind="device_intrusion").first().text
    assert "张三" in text and f"{timezone.localtime():%H:%M:%S}" in text
    # and the command centre has an event on the household
    command = Event.objects.get(kind__code="device_alert")
    assert alert.event == command
    assert command.household == world.households["a"]
    assert list(command.persons.all()) == [world.persons["zhang_san"]]


def test_the_delay_is_the_time_from_the_event_to_the_alert(world, clock, door):
    device, token = door
    at = timezone.now() - timedelta(seconds=40)
    payload = zigbee_payload(contact=False)[:-1] + f', "last_seen": "{at.isoformat()}"}}'.encode()
    take_mqtt(mqtt_topic(device.serial, token), payload)
    assert DeviceAlert.objects.get().delay == timedelta(seconds=40)


def test_a_device_clock_far_off_takes_the_time_of_receipt(world, clock, door):
    device, token = door
    at = timezone.now() - timedelta(hours=3)
    payload = zigbee_payload(contact=False)[:-1] + f', "last_seen": "{at.isoformat()}"}}'.encode()
    event = take_mqtt(mqtt_topic(device.serial, token), payload)
    assert event.occurred_at == timezone.now()


def test_events_within_two_minutes_merge_into_one_alert(world, door, camera, clock):
    # given the door opened
    _open(door)
    # when the camera sees movement 90 s later, and the door again 100 s after that
    clock.shift(90)
    device, token = camera
    take_camera(device.serial, token, hikvision_xml(event_type="VMD"))
    clock.shift(100)
    _open(door)
    # then one alert holding three events, announced once
    alert = DeviceAlert.objects.get()
    assert alert.event_count == 3
    assert alert.last_event_at == timezone.now()
    assert (
        Alert.objects.filter(kind="device_intrusion", recipient=world.users["gavin"]).count() == 1
    )
    assert Event.objects.filter(kind__code="device_alert").count() == 1


def test_an_event_more_than_two_minutes_after_the_last_raises_a_new_alert(world, clock, door):
    _open(door)
    clock.shift(121)
    _open(door)
    assert DeviceAlert.objects.filter(kind=DeviceAlert.Kind.INTRUSION).count() == 2


def test_the_merge_window_is_a_setting(world, clock, door, settings):
    settings.WANGGE = {**settings.WANGGE, "DEVICE_MERGE_SECONDS": 600}
    _open(door)
    clock.shift(300)
    _open(door)
    assert DeviceAlert.objects.get().event_count == 2


def test_a_closed_door_is_stored_without_alert(world, clock, door):
    event = _open(door, zigbee_payload(contact=True))
    assert (event.kind, event.alarm, event.alert) == ("closed", False, None)
    assert not DeviceAlert.objects.exists()


def test_an_event_after_the_measure_ended_is_stored_not_alerted(world, door, isolation, clock):
    measure_end_early(by=world.users["carol"], measure=isolation, reason="转运")
    event = _open(door)
    assert event.alarm and event.alert is None
    assert DeviceEvent.objects.count() == 1
    assert not DeviceAlert.objects.exists()
    assert not Alert.objects.filter(kind="device_intrusion").exists()


def test_every_reading_marks_the_device_seen_and_keeps_its_battery(world, clock, door):
    _open(door, zigbee_payload(contact=True, battery=64))
    device = door[0]
    device.refresh_from_db()
    assert (device.last_seen_at, device.battery) == (timezone.now(), 64)


def test_a_low_battery_alerts_maintenance_once_until_it_is_replaced(world, clock, door):
    # when the battery falls below 20 % and reports again still low
    _open(door, zigbee_payload(contact=True, battery=19))
    _open(door, zigbee_payload(contact=True, battery=15))
    # then one maintenance alert to the grid worker
    assert DeviceAlert.objects.filter(kind=DeviceAlert.Kind.BATTERY_LOW).count() == 1
    alert = Alert.objects.get(kind="device_maintenance")
    assert alert.recipient == world.users["gavin"] and "19%" in alert.text
    # and after a new battery, a low one alerts again
    _open(door, zigbee_payload(contact=True, battery=100))
    _open(door, zigbee_payload(contact=True, battery=10))
    assert DeviceAlert.objects.filter(kind=DeviceAlert.Kind.BATTERY_LOW).count() == 2


def test_the_low_battery_threshold_is_a_setting(world, clock, door, settings):
    settings.WANGGE = {**settings.WANGGE, "DEVICE_BATTERY_LOW_PERCENT": 30}
    _open(door, zigbee_payload(contact=True, battery=25))
    assert DeviceAlert.objects.filter(kind=DeviceAlert.Kind.BATTERY_LOW).exists()


def test_a_device_silent_for_24_hours_alerts_maintenance_once(world, clock, door):
    # given the door sensor reported at 09:00
    _open(door, zigbee_payload(contact=True))
    # when the sweep runs 23 h later, nothing; 24 h and a minute later, one alert
    clock.shift(timedelta(hours=23))
    assert silent_devices_alert() == 0
    clock.shift(timedelta(hours=1, minutes=1))
    assert silent_devices_alert() == 1
    assert silent_devices_alert() == 0
    alert = Alert.objects.get(kind="device_maintenance")
    assert alert.recipient == world.users["gavin"] and "离线" in alert.text
    # and once it reports again, a new silence alerts again
    _open(door, zigbee_payload(contact=True))
    clock.shift(timedelta(hours=25))
    assert silent_devices_alert() == 1


def test_a_device_that_never_reported_counts_from_its_registration(world, clock, door):
    clock.shift(timedelta(hours=24, minutes=1))
    assert silent_devices_alert() == 1


def test_a_revoked_device_is_neither_heard_nor_swept(world, clock, door):
    from wangge.devices.services import device_revoke

    device, token = door
    device_revoke(by=world.users["gavin"], device=device)
    with pytest.raises(PayloadError) as refused:
        _open(door)
    assert refused.value.code == "revoked"
    clock.shift(timedelta(hours=25))
    assert silent_devices_alert() == 0


@pytest.mark.parametrize(
    ("topic", "code"),
    [
        ("wangge/devices/door-0001/wgd_wrong", "bad_token"),
        ("wangge/devices/nobody/wgd_x", "unknown_device"),
        ("wangge/devices/door-0001", "bad_topic"),
        ("wangge/devices/door-0001/x/y/z", "bad_topic"),
    ],
)
def test_a_wrong_token_an_unknown_device_or_a_bad_topic_is_refused_and_logged(
    world, door, topic, code, caplog
):
    with pytest.raises(PayloadError) as refused:
        take_mqtt(topic, OPENED)
    assert refused.value.code == code
    assert f"({code})" in caplog.text
    assert not DeviceEvent.objects.exists()


def test_a_camera_token_does_not_make_a_door_sensor_reading(world, camera):
    device, token = camera
    with pytest.raises(PayloadError) as refused:
        take_mqtt(mqtt_topic(device.serial, token), OPENED)
    assert refused.value.code == "wrong_kind"


def test_zigbee2mqtt_availability_messages_are_passed_over(world, door):
    device, token = door
    assert take_mqtt(mqtt_topic(device.serial, token) + "/availability", b"online") is None
    assert not DeviceEvent.objects.exists()
