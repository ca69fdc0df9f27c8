"""End to end over a real broker: `fake_device` publishes as Zigbee2MQTT does, the listener (in a
thread, as `listen_devices` runs it) takes the message, and the alert reaches the grid worker and the
police. Each test starts its own mosquitto on a free loopback port; the restart test kills that one
(PostgreSQL pass only)."""

import pytest
from django.core.management import call_command
from django.db import connection

from wangge.core.models import Alert
from wangge.devices.intake import mqtt_topic
from wangge.devices.models import DeviceAlert, DeviceEvent
from wangge.measures.services import measure_end_early

from .conftest import wait_for


def _door(broker, door, *flags: str) -> None:
    device, token = door
    call_command("fake_device", "door", device.serial, token, "--url", broker.url, *flags)


def _publish(broker, topic: str, payload: bytes) -> None:
    from wangge.devices.fakes import publish

    publish(broker.url, topic, payload)


def test_a_door_opened_over_mqtt_alerts_the_grid_worker_and_the_police(
    world, pete, door, broker, listener
):
    # when the door sensor publishes {"contact": false, ...}
    _door(broker, door)

    # then one alert reaches the grid worker and the police officer
    alert = wait_for(lambda: DeviceAlert.objects.first(), what="the alert")
    recipients = wait_for(
        lambda: set(
            Alert.objects.filter(kind="device_intrusion").values_list("recipient", flat=True)
        ),
        what="the inbox",
    )
    assert recipients == {world.users["gavin"].pk, pete.pk}
    assert alert.delay == alert.raised_at - alert.first_event_at


def test_two_openings_over_mqtt_within_two_minutes_are_one_alert(world, door, broker, listener):
    _door(broker, door)
    _door(broker, door, "--battery", "86")
    wait_for(lambda: DeviceEvent.objects.count() == 2, what="both readings")
    assert DeviceAlert.objects.get().event_count == 2
    assert (
        Alert.objects.filter(kind="device_intrusion", recipient=world.users["gavin"]).count() == 1
    )


def test_an_opening_outside_a_measure_is_stored_without_alert(
    world, door, isolation, broker, listener
):
    measure_end_early(by=world.users["carol"], measure=isolation, reason="解除")
    _door(broker, door)
    event = wait_for(lambda: DeviceEvent.objects.first(), what="the reading")
    assert event.alarm and event.alert_id is None
    assert not DeviceAlert.objects.exists()
    assert not Alert.objects.filter(kind="device_intrusion").exists()


def test_bad_payloads_are_refused_and_logged_and_the_listener_goes_on(
    world, door, broker, listener, caplog
):
    device, token = door
    topic = mqtt_topic(device.serial, token)
    # when garbage, wrong types, an unknown device and a wrong token arrive
    _publish(broker, topic, b"{not json")
    _publish(broker, topic, b'{"contact": "open", "battery": 87}')
    _publish(broker, topic, b'{"contact": false, "battery": "full"}')
    _publish(broker, mqtt_topic("ghost", token), b'{"contact": false}')
    _publish(broker, mqtt_topic(device.serial, "wgd_guess"), b'{"contact": false}')
    # then each is logged with its reason, nothing is stored, and a good reading still comes in
    for code in ("bad_json", "bad_contact", "bad_battery", "unknown_device", "bad_token"):
        wait_for(lambda code=code: f"({code})" in caplog.text, what=f"the {code} refusal")
    assert not DeviceEvent.objects.exists()
    _door(broker, door)
    wait_for(lambda: DeviceAlert.objects.exists(), what="the good reading's alert")


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="kills processes: PostgreSQL pass only"
)
def test_the_listener_reconnects_after_the_broker_restarts(world, door, broker, listener):
    # given the listener took a reading
    _door(broker, door, "--closed")
    wait_for(lambda: DeviceEvent.objects.count() == 1, what="the first reading")

    # when the broker dies and comes back on the same port
    broker.stop()
    wait_for(lambda: not listener.subscribed, what="the listener to notice")
    broker.start()

    # then the listener subscribes again and takes the next reading
    wait_for(lambda: listener.subscribed, seconds=15, what="the listener to come back")
    _door(broker, door)
    wait_for(lambda: DeviceAlert.objects.exists(), what="the alert after the restart")
