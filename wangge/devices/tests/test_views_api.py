"""Staff screens and the API: registering shows the token once and stores only its digest; lists,
pages and API rows are scoped like the register (a grid worker never sees another grid's devices),
and the measure's police officer sees the devices watching it."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from wangge.devices.intake import device_authenticate
from wangge.devices.models import Device
from wangge.devices.payloads import PayloadError
from wangge.devices.services import DeviceData, device_register


def _login(client, user) -> None:
    client.force_login(user)


def test_registering_shows_the_token_once_and_stores_only_its_digest(client, world, isolation):
    # when the grid worker registers a door sensor on 张三's measure
    _login(client, world.users["gavin"])
    response = client.post(
        reverse("devices:new"),
        {"measure": isolation.pk, "kind": "door_sensor", "vendor": "Aqara", "serial": "A-1"},
    )
    # then the answer shows the token and the topic to configure, once
    assert response.status_code == 200
    token = response.context["token"]
    assert token.startswith("wgd_") and token in response.content.decode()
    assert f"wangge/devices/A-1/{token}" in response.content.decode()
    device = Device.objects.get(serial="A-1")
    assert device.household == world.households["a"]
    assert token not in device.token_digest and device.token_digest == Device.digest_of(token)
    assert token not in client.get(reverse("devices:detail", args=[device.pk])).content.decode()
    assert device_authenticate("A-1", token, "door_sensor") == device


def test_a_serial_registered_twice_is_refused_with_a_message(client, world, isolation, door):
    _login(client, world.users["gavin"])
    response = client.post(
        reverse("devices:new"),
        {"measure": isolation.pk, "kind": "camera", "vendor": "Hikvision", "serial": "door-0001"},
    )
    assert response.status_code == 422
    assert "serial door-0001 is already registered" in response.content.decode()
    assert Device.objects.count() == 1


def test_a_serial_with_a_slash_is_refused(world, isolation):
    with pytest.raises(ValidationError, match="only letters, digits"):
        device_register(
            by=world.users["gavin"],
            data=DeviceData(measure=isolation, kind="door_sensor", vendor="x", serial="a/b"),
        )


def test_another_grids_worker_may_not_register_on_this_household(world, isolation):
    with pytest.raises(PermissionDenied):
        device_register(
            by=world.users["bella"],
            data=DeviceData(measure=isolation, kind="door_sensor", vendor="x", serial="b-1"),
        )


def test_another_grids_worker_sees_neither_the_device_nor_its_page(client, world, door):
    device, _token = door
    _login(client, world.users["bella"])
    listing = client.get(reverse("devices:index"))
    assert listing.status_code == 200 and "door-0001" not in listing.content.decode()
    assert client.get(reverse("devices:detail", args=[device.pk])).status_code == 404
    assert client.post(reverse("devices:revoke", args=[device.pk])).status_code == 404


def test_the_grid_worker_and_the_measures_police_officer_see_the_device(client, world, pete, door):
    for user in (world.users["gavin"], pete):
        _login(client, user)
        assert "door-0001" in client.get(reverse("devices:index")).content.decode()
    # the police officer may look but not revoke
    assert client.post(reverse("devices:revoke", args=[door[0].pk])).status_code == 404


def test_revoking_stops_the_token_at_once(client, world, door):
    device, token = door
    _login(client, world.users["gavin"])
    assert client.post(reverse("devices:revoke", args=[device.pk])).status_code == 302
    with pytest.raises(PayloadError):
        device_authenticate(device.serial, token, "door_sensor")


def test_the_list_filters_by_household(client, world, door):
    _login(client, world.users["carol"])
    own = client.get(reverse("devices:index"), {"household": world.households["a"].pk})
    other = client.get(reverse("devices:index"), {"household": world.households["b"].pk})
    assert "door-0001" in own.content.decode()
    assert "door-0001" not in other.content.decode()


def test_the_api_registers_a_device_and_answers_its_token_once(api_client_for, world, isolation):
    api = api_client_for(world.users["carol"])
    response = api.post(
        "/api/devices/devices/",
        {"measure": isolation.pk, "kind": "camera", "vendor": "Hikvision", "serial": "cam-9"},
        format="json",
    )
    assert response.status_code == 201
    token = response.json()["token"]
    assert device_authenticate("cam-9", token, "camera").pk == response.json()["id"]
    assert "token" not in api.get(f"/api/devices/devices/{response.json()['id']}/").json()


def test_the_api_refuses_a_bad_registration_with_field_messages(api_client_for, world, isolation):
    api = api_client_for(world.users["carol"])
    response = api.post(
        "/api/devices/devices/",
        {"measure": isolation.pk, "kind": "radar", "vendor": "", "serial": "x"},
        format="json",
    )
    assert response.status_code == 400
    assert set(response.json()) >= {"kind", "vendor"}


def test_the_api_lists_only_devices_in_scope_and_revokes(api_client_for, world, door):
    device, _token = door
    assert api_client_for(world.users["bella"]).get("/api/devices/devices/").json()["count"] == 0
    api = api_client_for(world.users["gavin"])
    assert [row["serial"] for row in api.get("/api/devices/devices/").json()["results"]] == [
        "door-0001"
    ]
    revoked = api.post(f"/api/devices/devices/{device.pk}/revoke/")
    assert revoked.status_code == 200 and revoked.json()["in_service"] is False
    assert (
        api_client_for(world.users["bella"])
        .post(f"/api/devices/devices/{device.pk}/revoke/")
        .status_code
        == 404
    )


def test_the_menu_links_the_device_list(client, world):
    _login(client, world.users["gavin"])
    assert reverse("devices:index") in client.get(reverse("devices:index")).content.decode()
