"""Fixtures of the device tests: 张三 (household a, grid A) under home isolation with Gavin as grid
worker and Pete as police officer; a door sensor and a camera registered on his household; a
mosquitto broker of the test's own on a free loopback port; the MQTT listener in a thread."""

import os
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.db import connections
from django.utils import timezone

from conftest import drill_home_isolation
from wangge.core.roles import Role
from wangge.devices.models import Device
from wangge.devices.mqtt import Listener
from wangge.devices.services import DeviceData, device_register
from wangge.measures.models import PersonMeasure
from wangge.measures.services import measure_assign
from wangge.measures.services.common import Team

MOSQUITTO = "/usr/sbin/mosquitto"


@pytest.fixture
def pete(world) -> Any:
    from wangge.accounts.models import RoleAssignment, User

    user = User.objects.create_user(username="pete", password="x", full_name="Pete")
    user.must_change_password = False
    user.save()
    RoleAssignment.objects.create(user=user, role=Role.POLICE, community=world.east)
    return user


@pytest.fixture
def isolation(world, pete) -> PersonMeasure:
    measure_type = drill_home_isolation(test_days=[1], checkin_times=["08:00"])
    (measure,) = measure_assign(
        by=world.users["carol"],
        persons=[world.persons["zhang_san"]],
        measure_type=measure_type,
        start=timezone.localdate(),
        reason="密接",
        team=Team(grid_worker=world.users["gavin"], police=pete),
    )
    return measure


def register(world, measure: PersonMeasure, kind: str, serial: str) -> tuple[Device, str]:
    return device_register(
        by=world.users["gavin"],
        data=DeviceData(measure=measure, kind=kind, vendor="Aqara", serial=serial),
    )


@pytest.fixture
def door(world, isolation) -> tuple[Device, str]:
    return register(world, isolation, Device.Kind.DOOR_SENSOR, "door-0001")


@pytest.fixture
def camera(world, isolation) -> tuple[Device, str]:
    return register(world, isolation, Device.Kind.CAMERA, "cam-0001")


def wait_for(condition: Callable[[], Any], seconds: float = 10, what: str = "it") -> Any:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out after {seconds} s waiting for {what}")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _answers(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
    except OSError:
        return False
    return True


@dataclass
class Broker:
    """A mosquitto of the test's own; never the machine's broker on 1883."""

    config: Path
    port: int
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"mqtt://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [MOSQUITTO, "-c", str(self.config)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(lambda: _answers(self.port), 10, "mosquitto")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)


@pytest.fixture
def broker(tmp_path) -> Iterator[Broker]:
    if not Path(MOSQUITTO).exists() and not shutil.which("mosquitto"):
        message = f"{MOSQUITTO} is not installed (apt-get install mosquitto)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    port = _free_port()
    config = tmp_path / "mosquitto.conf"
    config.write_text(f"listener {port} 127.0.0.1\nallow_anonymous true\npersistence false\n")
    running = Broker(config=config, port=port)
    running.start()
    yield running
    running.stop()


@pytest.fixture
def listener(broker, transactional_db, settings) -> Iterator[Listener]:
    """`listen_devices` in a thread against the test's broker, reconnecting within a second."""
    settings.WANGGE = {**settings.WANGGE, "DEVICE_MQTT_RECONNECT_MAX_SECONDS": 1}
    running = Listener(broker.url)

    def run() -> None:
        try:
            running.run()
        finally:
            connections.close_all()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    wait_for(lambda: running.subscribed, 10, "the listener to subscribe")
    yield running
    running.stop()
    thread.join(timeout=10)
