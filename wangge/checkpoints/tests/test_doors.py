"""门禁: a resident's code let through opens the gate — a Hikvision controller over real HTTP with
digest authentication, a relay over a real MQTT broker — and nothing else ever does; a controller
that does not answer warns the guard and the scan is stored all the same."""

import socket
import uuid
from collections.abc import Iterator

import pytest
from django.urls import reverse

from wangge.checkpoints.doors import adapters
from wangge.checkpoints.doors.base import OPENED, Answer, Target
from wangge.checkpoints.doors.fakes import HikvisionFake, RelayFake
from wangge.checkpoints.models import DoorController, DoorOpening, Scan
from wangge.checkpoints.rules import Verdict
from wangge.checkpoints.services import DoorData, door_controller_create

from .conftest import DAY, at, code_of, health_code, scan

pytestmark = pytest.mark.usefixtures("on_duty")
PASSWORD = "门禁-Pa55"


@pytest.fixture
def hikvision() -> Iterator[HikvisionFake]:
    fake = HikvisionFake(username="admin", password=PASSWORD).start()
    yield fake
    fake.stop()


def controller(world, gate, **fields) -> DoorController:
    values = {"kind": DoorController.Kind.HIKVISION, "name": "东门人行门", "address": "", **fields}
    return door_controller_create(by=world.users["carol"], checkpoint=gate, data=DoorData(**values))


@pytest.fixture
def green_code(world) -> str:
    zhang = world.persons["zhang_san"]
    health_code(zhang, "green", at(DAY, 7))
    return code_of(world, zhang)


@pytest.fixture
def counted(monkeypatch) -> list[Target]:
    """Every controller asked, whatever its kind; each one opens."""
    asked: list[Target] = []

    def record(target: Target, timeout: float) -> Answer:
        asked.append(target)
        return Answer(OPENED)

    for kind in list(adapters.ADAPTERS):
        monkeypatch.setitem(adapters.ADAPTERS, kind, record)
    return asked


def test_a_resident_let_through_opens_the_hikvision_door(world, gate, clock, hikvision, green_code):
    # given: the east gate's controller, door 2, with its digest password
    door = controller(
        world, gate, address=hikvision.url, door_no=2, username="admin", password=PASSWORD
    )
    # when: Zhang's code is let through
    outcome = scan(world, gate, code=green_code)
    # then: the controller was told to open door 2, and the opening is stored with the scan
    assert outcome.scan.verdict == Verdict.PASS
    assert [(c["door"], c["answer"]) for c in hikvision.commands] == [(2, "opened")]
    opening = DoorOpening.objects.get()
    assert (opening.scan, opening.controller, opening.outcome) == (outcome.scan, door, OPENED)
    assert [o.guard_message for o in outcome.doors] == ["门已开"]


def test_a_resident_let_through_opens_the_mqtt_relay(
    world,
    gate,
    clock,
    broker,
    settings,
    green_code,
):
    settings.WANGGE = {**settings.WANGGE, "MQTT_URL": broker.url}
    relay = RelayFake(url=broker.url, topic="zigbee2mqtt/+").start()
    try:
        controller(world, gate, kind=DoorController.Kind.MQTT_RELAY, address="zigbee2mqtt/东门")
        outcome = scan(world, gate, code=green_code, direction="in")
    finally:
        relay.stop()
    assert [(c["door"], c["state"]) for c in relay.commands] == [("zigbee2mqtt/东门", "ON")]
    assert [o.outcome for o in outcome.doors] == [OPENED]


def test_only_a_residents_code_let_through_calls_a_controller(world, gate, clock, counted):
    # given: a controller that opens only for people going out
    controller(world, gate, address="http://192.0.2.1", directions="out")
    zhang, li = world.persons["zhang_san"], world.persons["li_si"]
    health_code(zhang, "red", at(DAY, 7))
    health_code(li, "green", at(DAY, 7))
    # when: a red code is turned back, a typed ID number and a code coming in are let through
    refused = scan(world, gate, code=code_of(world, zhang))
    typed = scan(world, gate, id_number=li.id_number)
    coming_in = scan(world, gate, code=code_of(world, li), direction="in")
    # then: no controller was asked, and no opening stored
    assert refused.scan.verdict == Verdict.DENY
    assert (typed.scan.verdict, coming_in.scan.verdict) == (Verdict.PASS, Verdict.PASS)
    assert counted == []
    assert not DoorOpening.objects.exists()
    # and a code going out does open
    scan(world, gate, code=code_of(world, li))
    assert len(counted) == 1


def test_a_disabled_controller_and_a_late_offline_scan_open_nothing(
    world, gate, clock, counted, green_code
):
    door = controller(world, gate, address="http://192.0.2.1")
    # a scan made two minutes ago, sent now from the offline queue: Zhang has left the gate
    scan(world, gate, code=green_code, scanned_at=at(DAY, 8, 58))
    door.enabled = False
    door.save()
    scan(world, gate, code=green_code)
    assert counted == []


def test_a_scan_sent_again_does_not_open_again(world, gate, clock, hikvision, green_code):
    controller(world, gate, address=hikvision.url, username="admin", password=PASSWORD)
    client_id = uuid.uuid4().hex
    first = scan(world, gate, code=green_code, client_id=client_id)
    again = scan(world, gate, code=green_code, client_id=client_id)
    assert (first.created, again.created) == (True, False)
    assert len(hikvision.commands) == 1
    assert [o.pk for o in again.doors] == [o.pk for o in first.doors]


def test_a_wrong_password_is_recorded_as_refused_by_the_device(
    world, gate, clock, hikvision, green_code
):
    controller(world, gate, address=hikvision.url, username="admin", password="wrong")
    outcome = scan(world, gate, code=green_code)
    assert hikvision.commands == []
    (opening,) = outcome.doors
    assert opening.outcome == DoorOpening.Outcome.REFUSED
    assert "password" in opening.detail
    assert opening.guard_message == "门禁拒绝开门，请人工开门"


@pytest.fixture
def silent_port() -> Iterator[int]:
    """A controller that takes the connection and never answers."""
    with socket.socket() as listening:
        listening.bind(("127.0.0.1", 0))
        listening.listen(8)
        yield listening.getsockname()[1]


def test_an_unreachable_controller_warns_the_guard_and_the_scan_is_stored(
    world, gate, clock, settings, silent_port, green_code, api_client_for
):
    settings.WANGGE = {**settings.WANGGE, "DOOR_TIMEOUT_SECONDS": 0.3}
    controller(world, gate, address=f"http://127.0.0.1:{silent_port}")
    body = {"checkpoint": gate.pk, "client_id": uuid.uuid4().hex, "direction": "out"}
    answer = api_client_for(world.users["kim"]).post(
        "/api/checkpoints/scans/", {**body, "code": green_code}, format="json"
    )
    assert answer.status_code == 201
    assert answer.json()["verdict"] == "pass"
    assert answer.json()["doors"] == [
        {"door": "东门人行门", "outcome": "unreachable", "message": "门禁未响应，请人工开门"}
    ]
    assert Scan.objects.filter(client_id=body["client_id"]).exists()
    opening = DoorOpening.objects.get()
    assert opening.outcome == DoorOpening.Outcome.UNREACHABLE
    # the controller was given up on at the deadline, not at the socket's default
    assert opening.duration_ms < 1000


def test_the_scan_page_without_the_script_says_the_door_is_open(
    client, world, gate, clock, counted, green_code
):
    controller(world, gate, address="http://192.0.2.1")
    client.force_login(world.users["kim"])
    page = client.post(
        reverse("checkpoints:scan", args=[gate.pk]),
        {"step": "scan", "client_id": uuid.uuid4().hex, "direction": "out", "code": green_code},
    ).content.decode()
    assert 'data-outcome="opened"' in page
    assert "门已开" in page
