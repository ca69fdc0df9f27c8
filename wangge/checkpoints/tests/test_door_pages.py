"""Setting up a gate's door controllers: whoever may edit the checkpoint (Carol, community worker
of 东社区) adds, changes, switches off and tests them, audited, the password never shown again;
nobody else even finds them (Gavin, grid worker of a grid the gate is not in; Kim, who mans it;
Dora of 西社区)."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from wangge.checkpoints.doors import adapters
from wangge.checkpoints.doors.base import UNREACHABLE, Answer, Target
from wangge.checkpoints.models import DoorController, DoorOpening
from wangge.checkpoints.services import DoorData, door_controller_create
from wangge.core.models import AuditEntry

SECRET = "s3cret-门禁"


def form(**fields) -> dict:
    return {
        "kind": "hikvision_isapi",
        "name": "东门人行门",
        "address": "http://192.168.1.20",
        "door_no": "1",
        "directions": "",
        "username": "admin",
        "password": SECRET,
        "enabled": "on",
        **fields,
    }


@pytest.fixture
def door(world, gate) -> DoorController:
    return door_controller_create(
        by=world.users["carol"],
        checkpoint=gate,
        data=DoorData(
            kind="hikvision_isapi",
            name="东门人行门",
            address="http://192.168.1.20",
            username="admin",
            password=SECRET,
        ),
    )


def test_carol_adds_a_controller_and_its_password_is_sealed_and_never_shown(client, world, gate):
    client.force_login(world.users["carol"])
    response = client.post(reverse("checkpoints:door_new", args=[gate.pk]), form())
    assert response.status_code == 302
    door = DoorController.objects.get()
    assert door.password == SECRET and SECRET not in door.password_sealed
    detail = client.get(reverse("checkpoints:detail", args=[gate.pk])).content.decode()
    edit = client.get(reverse("checkpoints:door_edit", args=[door.pk])).content.decode()
    assert "东门人行门" in detail
    assert SECRET not in detail + edit
    entry = AuditEntry.objects.get(target_type="checkpoints.doorcontroller", action="create")
    assert SECRET not in str(entry.changes) and entry.changes["password_set"] is True


def test_a_blank_password_keeps_the_old_one_and_a_controller_can_be_switched_off(
    client, world, door
):
    client.force_login(world.users["carol"])
    response = client.post(
        reverse("checkpoints:door_edit", args=[door.pk]), form(password="", enabled="")
    )
    assert response.status_code == 302
    door.refresh_from_db()
    assert (door.password, door.enabled) == (SECRET, False)
    entry = AuditEntry.objects.get(target_type="checkpoints.doorcontroller", action="update")
    assert entry.changes["enabled"] == [True, False]


def test_a_bad_address_is_named_in_chinese(client, world, gate):
    client.force_login(world.users["carol"])
    response = client.post(
        reverse("checkpoints:door_new", args=[gate.pk]),
        form(kind="mqtt_relay", address="zigbee2mqtt/#"),
    )
    assert response.status_code == 422
    assert "请填写继电器主题" in response.content.decode()
    assert not DoorController.objects.exists()


def test_the_test_button_opens_once_and_is_audited(client, world, door, monkeypatch):
    def dead(target: Target, timeout: float) -> Answer:
        return Answer(UNREACHABLE, "timed out")

    monkeypatch.setitem(adapters.ADAPTERS, "hikvision_isapi", dead)
    client.force_login(world.users["carol"])
    response = client.post(reverse("checkpoints:door_test", args=[door.pk]), follow=True)
    assert "门禁未响应" in response.content.decode()
    opening = DoorOpening.objects.get()
    assert (opening.scan, opening.by) == (None, world.users["carol"])
    assert AuditEntry.objects.filter(action="door_test", target_id=str(door.pk)).exists()


@pytest.mark.parametrize("name", ["gavin", "kim", "dora"])
def test_nobody_else_finds_the_gates_controllers(client, world, gate, door, name, monkeypatch):
    monkeypatch.setitem(adapters.ADAPTERS, "hikvision_isapi", pytest.fail)
    client.force_login(world.users[name])
    for url in (
        reverse("checkpoints:door_new", args=[gate.pk]),
        reverse("checkpoints:door_edit", args=[door.pk]),
    ):
        assert client.get(url).status_code in (403, 404), url
    assert client.post(reverse("checkpoints:door_test", args=[door.pk])).status_code in (403, 404)
    with pytest.raises(PermissionDenied):
        door_controller_create(
            by=world.users[name],
            checkpoint=gate,
            data=DoorData(kind="mqtt_relay", name="北门", address="zigbee2mqtt/北门"),
        )
    assert not DoorOpening.objects.exists()


def test_the_api_adds_a_controller_for_carol_and_refuses_gavin(world, gate, api_client_for):
    body = {
        "checkpoint": gate.pk,
        "kind": "mqtt_relay",
        "name": "北门",
        "address": "zigbee2mqtt/北门",
        "password": SECRET,
    }
    carol = api_client_for(world.users["carol"])
    created = carol.post("/api/checkpoints/doors/", body, format="json")
    assert created.status_code == 201
    assert created.json()["password_set"] is True and "password" not in created.json()
    assert [row["name"] for row in carol.get("/api/checkpoints/doors/").json()["results"]] == [
        "北门"
    ]
    bad = carol.post("/api/checkpoints/doors/", {**body, "address": "x/#"}, format="json")
    assert bad.status_code == 400 and "继电器主题" in bad.json()["address"][0]
    gavin = api_client_for(world.users["gavin"])
    assert gavin.get("/api/checkpoints/doors/").json()["results"] == []
    refused = gavin.post("/api/checkpoints/doors/", {**body, "name": "南门"}, format="json")
    assert refused.status_code in (400, 403)
    assert DoorController.objects.count() == 1
