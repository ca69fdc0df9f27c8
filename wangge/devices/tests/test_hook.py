"""Cameras over HTTP: the EventNotificationAlert as the body or as one part of a multipart post,
authenticated by the token in the path; anything else answered 400/403/413 and logged, never 500.
One test goes over a real socket: `fake_device camera` against the live server."""

from django.core.management import call_command
from django.urls import reverse

from wangge.core.models import Alert
from wangge.devices.fakes import hikvision_xml, multipart
from wangge.devices.models import DeviceAlert, DeviceEvent


def _url(serial: str, token: str) -> str:
    return reverse("devices:hook", args=[serial, token])


def test_a_camera_event_posted_as_xml_raises_the_alert(client, world, pete, camera):
    device, token = camera
    response = client.post(
        _url(device.serial, token), hikvision_xml(), content_type="application/xml"
    )
    assert response.status_code == 200
    alert = DeviceAlert.objects.get()
    assert response.json() == {"event": DeviceEvent.objects.get().pk, "alert": alert.pk}
    assert set(
        Alert.objects.filter(kind="device_intrusion").values_list("recipient", flat=True)
    ) == {
        world.users["gavin"].pk,
        pete.pk,
    }


def test_a_camera_event_posted_with_a_picture_is_read_from_its_xml_part(client, world, camera):
    device, token = camera
    body, content_type = multipart(hikvision_xml(event_type="fielddetection"))
    response = client.generic("POST", _url(device.serial, token), body, content_type=content_type)
    assert response.status_code == 200
    assert DeviceEvent.objects.get().kind == "fielddetection"
    assert DeviceAlert.objects.exists()
    assert "摄像头报警：区域入侵" in Alert.objects.filter(kind="device_intrusion").first().text


def test_a_multipart_post_without_xml_is_refused(client, world, camera, caplog):
    device, token = camera
    boundary = "b0"
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="p"; filename="p.jpg"\r\n'
        f"Content-Type: image/jpeg\r\n\r\n\xff\xd8\r\n--{boundary}--\r\n"
    ).encode("latin-1")
    response = client.generic(
        "POST",
        _url(device.serial, token),
        body,
        content_type=f"multipart/form-data; boundary={boundary}",
    )
    assert (response.status_code, response.json()["code"]) == (400, "no_xml")
    assert "(no_xml)" in caplog.text


def test_a_wrong_token_or_unknown_camera_is_refused_and_logged(client, world, camera, caplog):
    device, _token = camera
    for serial, token, code in [
        (device.serial, "wgd_guess", "bad_token"),
        ("ghost", "x", "unknown_device"),
    ]:
        response = client.post(_url(serial, token), hikvision_xml(), content_type="application/xml")
        assert (response.status_code, response.json()["code"]) == (403, code)
        assert f"({code})" in caplog.text
    assert not DeviceEvent.objects.exists()


def test_bad_xml_is_refused_with_a_bilingual_message(client, world, camera):
    device, token = camera
    response = client.post(_url(device.serial, token), b"<Event", content_type="application/xml")
    assert response.status_code == 400
    assert response.json() == {"code": "bad_xml", "detail": "不是有效的XML / not valid XML"}


def test_a_post_larger_than_the_setting_is_refused(client, world, camera, settings):
    settings.WANGGE = {**settings.WANGGE, "DEVICE_HTTP_MAX_BYTES": 100}
    device, token = camera
    response = client.post(
        _url(device.serial, token), hikvision_xml(), content_type="application/xml"
    )
    assert response.status_code == 413
    assert not DeviceEvent.objects.exists()


def test_only_post_is_answered(client, world, camera):
    device, token = camera
    assert client.get(_url(device.serial, token)).status_code == 405


def test_fake_device_posts_a_camera_event_over_real_http(live_server, world, camera, capsys):
    device, token = camera
    call_command(
        "fake_device", "camera", device.serial, token, "--url", live_server.url, "--picture"
    )
    assert "HTTP 200" in capsys.readouterr().out
    assert DeviceAlert.objects.get().event_count == 1
