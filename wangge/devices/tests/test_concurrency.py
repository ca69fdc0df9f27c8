"""Two devices of one household reporting at the same moment (the listener and a web worker) make
one alert: the household's row lock puts the second behind the first. PostgreSQL only (threads
racing for row locks)."""

import threading

import pytest
from django.db import connection, connections

from wangge.core.models import Alert
from wangge.devices.fakes import hikvision_xml, zigbee_payload
from wangge.devices.intake import mqtt_topic, take_camera, take_mqtt
from wangge.devices.models import DeviceAlert, DeviceEvent

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="races threads for row locks: PostgreSQL pass only"
)


def test_a_door_and_a_camera_at_the_same_moment_make_one_alert(
    transactional_db, world, door, camera
):
    door_device, door_token = door
    camera_device, camera_token = camera
    start = threading.Barrier(2)
    failures: list[Exception] = []

    def run(send) -> None:
        try:
            start.wait(timeout=10)
            send()
        except Exception as error:
            failures.append(error)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(
            target=run,
            args=(
                lambda: take_mqtt(
                    mqtt_topic(door_device.serial, door_token), zigbee_payload(contact=False)
                ),
            ),
        ),
        threading.Thread(
            target=run,
            args=(lambda: take_camera(camera_device.serial, camera_token, hikvision_xml()),),
        ),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert failures == []
    assert DeviceEvent.objects.count() == 2
    assert DeviceAlert.objects.get().event_count == 2
    assert (
        Alert.objects.filter(kind="device_intrusion", recipient=world.users["gavin"]).count() == 1
    )
