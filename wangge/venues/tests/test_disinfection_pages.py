"""消杀 pages and API: a grid worker logs an elevator on the phone page, the list and the
requirement page show their own area only, and the API stores a replay once.

Gavin is the grid worker of 第一网格 (with its small grid), Bella of 第二网格."""

import io

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from wangge.venues.models import DisinfectionLog, PlaceKind
from wangge.venues.services.disinfection import LogData, log_record
from wangge.venues.services.disinfection_rules import disinfection_rule_default
from wangge.venues.tests.disinfection_fixtures import at, isolate

URL = "/api/venues/disinfection/"


@pytest.fixture
def morning(world):
    with time_machine.travel(at(10), tick=False):
        yield world


def jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(out, "JPEG")
    return out.getvalue()


def page_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_phone_page_logs_an_elevator_with_a_photo(morning, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    world = morning
    building = world.households["a"].building
    page = page_for(world.users["gavin"])
    form = page.get(reverse("venues:disinfection_new") + f"?building={building.pk}")
    assert form.status_code == 200
    client_id = form.context["form"].initial["client_id"]
    post = {
        "building": building.pk,
        "place": PlaceKind.ELEVATOR,
        "location": "1单元电梯",
        "agent": "含氯消毒液擦拭按键",
        "done_at": "2026-12-07T09:40",
        "client_id": client_id,
    }
    photo = SimpleUploadedFile("lift.jpg", jpeg(), content_type="image/jpeg")
    answer = page.post(reverse("venues:disinfection_new"), {**post, "photo": photo})
    assert answer.status_code == 302
    assert page.post(reverse("venues:disinfection_new"), post).status_code == 302  # sent twice
    log = DisinfectionLog.objects.get()
    assert log.done_at == at(9, 40) and log.photo.name.endswith(".jpg")
    listed = page.get(answer.url)
    assert "含氯消毒液擦拭按键" in listed.content.decode()
    assert page.get(reverse("venues:disinfection_photo", args=[log.pk])).status_code == 200
    assert (
        page_for(world.users["bella"])
        .get(reverse("venues:disinfection_photo", args=[log.pk]))
        .status_code
        == 404
    )


def test_a_file_that_is_no_photo_is_refused_on_the_page(morning, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    world = morning
    post = {
        "building": world.households["a"].building.pk,
        "place": PlaceKind.ELEVATOR,
        "agent": "消毒",
        "done_at": "2026-12-07T09:40",
        "client_id": "x-1",
        "photo": SimpleUploadedFile("lift.jpg", b"MZ\x90\x00 program", content_type="image/jpeg"),
    }
    answer = page_for(world.users["gavin"]).post(reverse("venues:disinfection_new"), post)
    assert answer.status_code == 422 and not DisinfectionLog.objects.exists()
    assert "lift.jpg" in answer.content.decode()


def test_another_grids_building_cannot_be_chosen(morning):
    world = morning
    post = {
        "building": world.households["b"].building.pk,
        "place": PlaceKind.ELEVATOR,
        "agent": "消毒",
        "done_at": "2026-12-07T09:40",
        "client_id": "x-1",
    }
    answer = page_for(world.users["gavin"]).post(reverse("venues:disinfection_new"), post)
    assert answer.status_code == 422 and not DisinfectionLog.objects.exists()
    assert page_for(world.users["kim"]).get(reverse("venues:disinfection_new")).status_code == 403


def test_the_requirement_page_shows_the_users_buildings_only(morning):
    world = morning
    isolate(world, "zhang_san", "wang_wu")
    disinfection_rule_default(street=world.street)
    log_record(
        by=world.users["gavin"],
        data=LogData(
            place=PlaceKind.ELEVATOR, agent="消毒", building=world.households["a"].building
        ),
        client_id="a-1",
    )
    shown = page_for(world.users["gavin"]).get(reverse("venues:disinfection_requirements"))
    text = shown.content.decode()
    assert "阳光花园1幢" in text and "1 / 2" in text and "阳光花园3幢" not in text
    text = (
        page_for(world.users["carol"])
        .get(reverse("venues:disinfection_requirements"))
        .content.decode()
    )
    assert "阳光花园1幢" in text and "阳光花园3幢" in text


def test_the_api_stores_a_replay_once_and_lists_by_area(morning, api_client_for):
    world = morning
    body = {
        "client_id": "phone-1",
        "place": "elevator",
        "building": world.households["a1"].building.pk,
        "agent": "75%酒精擦拭按键",
    }
    gavin = api_client_for(world.users["gavin"])
    first = gavin.post(URL, body, format="json")
    again = gavin.post(URL, body, format="json")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    other = api_client_for(world.users["bella"])
    assert other.post(URL, body, format="json").status_code == 400  # not her building
    assert other.get(URL).json()["count"] == 0
    assert gavin.get(URL + "?day=2026-12-07").json()["count"] == 1
    assert gavin.get(URL + "?day=2026-12-06").json()["count"] == 0
    assert gavin.get(URL + "?day=yesterday").status_code == 400
    carol = api_client_for(world.users["carol"])
    assert carol.post(URL, body, format="json").status_code == 409


def test_the_api_takes_a_photo_by_its_content_and_refuses_an_executable(
    morning, api_client_for, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    world = morning
    body = {
        "building": world.households["a"].building.pk,
        "place": PlaceKind.ELEVATOR,
        "agent": "消毒",
    }
    gavin = api_client_for(world.users["gavin"])
    disguised = SimpleUploadedFile("lift.jpg", b"MZ\x90\x00" + b"\x00" * 200, "image/jpeg")
    refused = gavin.post(URL, {**body, "client_id": "p-1", "photo": disguised}, format="multipart")
    assert refused.status_code == 400 and "photo" in refused.json()
    assert not DisinfectionLog.objects.exists()
    photo = SimpleUploadedFile("lift.png", jpeg(), "image/png")
    stored = gavin.post(URL, {**body, "client_id": "p-2", "photo": photo}, format="multipart")
    assert stored.status_code == 201 and stored.json()["has_photo"] is True
    assert DisinfectionLog.objects.get().photo.name.endswith(".jpg")
