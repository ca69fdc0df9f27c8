"""Templates (a street's commanders and community workers keep them; grid workers use them),
saved lists (import a phone sheet, delete) and grid robots (token sealed and never shown again,
deactivated), each write audited; robots and lists are scoped by grid."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from tests.test_no_inline_script import offences
from wangge.core.models import AuditEntry
from wangge.notify.models import Robot, SavedList, Template

pytestmark = pytest.mark.django_db


def client_of(world, username: str) -> Client:
    client = Client()
    client.force_login(world.users[username])
    return client


def test_a_community_worker_keeps_templates_and_a_grid_worker_may_not(world) -> None:
    carol, gavin = client_of(world, "carol"), client_of(world, "gavin")
    given = {"name": "核酸", "kind": "notice", "text": "{称呼}，请今天做核酸。"}

    made = carol.post(reverse("notify:template_new"), given)
    template = Template.objects.get()
    edited = carol.post(
        reverse("notify:template_edit", args=[template.pk]),
        {**given, "text": "{称呼}，明天做核酸。"},
    )
    refused = gavin.post(reverse("notify:template_new"), {**given, "name": "别的"})
    bad = carol.post(reverse("notify:template_new"), {**given, "name": "坏", "text": "{地址}"})
    listing = gavin.get(reverse("notify:templates")).content.decode()

    assert made.status_code == edited.status_code == 302
    template.refresh_from_db()
    assert template.text == "{称呼}，明天做核酸。" and template.street == world.street
    assert refused.status_code == bad.status_code == 422
    assert Template.objects.count() == 1
    assert "核酸" in listing and reverse("notify:template_edit", args=[template.pk]) not in listing
    carol.post(reverse("notify:template_remove", args=[template.pk]))
    assert not Template.objects.exists()
    assert AuditEntry.objects.filter(target_type__icontains="template").count() == 3


def test_a_phone_sheet_becomes_a_saved_list_of_the_importers_grid(world) -> None:
    gavin = client_of(world, "gavin")
    sheet = SimpleUploadedFile("名单.csv", "姓名,手机\n甲,13800001234\n乙,12345\n".encode())

    response = gavin.post(reverse("notify:lists"), {"name": "志愿者", "file": sheet})
    saved = SavedList.objects.get()
    bella_page = client_of(world, "bella").get(reverse("notify:lists")).content.decode()
    bella_delete = client_of(world, "bella").post(reverse("notify:list_remove", args=[saved.pk]))

    assert response.status_code == 302
    assert saved.grid == world.grid_a and saved.entries.count() == 1
    assert "志愿者" not in bella_page
    assert bella_delete.status_code == 404
    assert gavin.post(reverse("notify:list_remove", args=[saved.pk])).status_code == 302
    assert not SavedList.objects.exists()


def test_a_robot_token_is_sealed_and_never_shown_again(world, settings) -> None:
    settings.WANGGE = {**settings.WANGGE, "ROBOT_PER_MINUTE": 12}
    gavin = client_of(world, "gavin")
    given = {
        "grid": world.grid_a.pk,
        "kind": "dingtalk",
        "name": "第一网格工作群",
        "token": "secret-token-1234",
        "secret": "SEC-signing",
    }

    made = gavin.post(reverse("notify:robots"), given)
    page = gavin.get(reverse("notify:robots")).content.decode()
    robot = Robot.objects.get()
    again = gavin.post(reverse("notify:robots"), given)
    other_grid = gavin.post(reverse("notify:robots"), {**given, "grid": world.grid_d.pk})

    assert made.status_code == 302
    assert robot.token == "secret-token-1234" and robot.secret == "SEC-signing"
    assert robot.per_minute == 12
    assert "secret-token" not in robot.token_sealed
    assert "secret-token" not in page and "SEC-signing" not in page
    assert "secret-token" not in again.content.decode()
    assert again.status_code == other_grid.status_code == 422
    assert (
        client_of(world, "bella").post(reverse("notify:robot_off", args=[robot.pk])).status_code
        == 404
    )
    gavin.post(reverse("notify:robot_off", args=[robot.pk]))
    robot.refresh_from_db()
    assert robot.active is False
    assert offences(page) == []
