"""Gavin logs the disinfection of 1幢's elevator on a phone with no network: the log and its
photo wait on the phone, and are stored once when it is back online."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from conftest import ARTIFACTS, sign_in
from wangge.venues.models import DisinfectionLog
from wangge.venues.tests.cards.test_inspections import PNG

pytestmark = pytest.mark.browser


def test_a_log_made_offline_waits_on_the_phone_and_is_stored_once(world, phone, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    building = world.households["a"].building
    sign_in(phone, "gavin")
    phone.goto(reverse("venues:disinfection_new") + f"?building={building.pk}")
    phone.context.set_offline(True)
    phone.fill("input[name=agent]", "")
    phone.locator("[data-testid=disinfection-form] button[type=submit]").click()
    expect(phone.locator("[data-testid=disinfection-message]")).to_contain_text("请填写消杀内容")
    phone.fill("input[name=location]", "1单元电梯")
    phone.fill("input[name=agent]", "含氯消毒液擦拭按键")
    phone.set_input_files(
        "input[name=photo]", {"name": "电梯.png", "mimeType": "image/png", "buffer": PNG}
    )
    phone.locator("[data-testid=disinfection-form] button[type=submit]").click()
    expect(phone.locator("[data-testid=queue-status]")).to_contain_text("待上传 1 条")
    phone.screenshot(path=ARTIFACTS / "venue-disinfection-offline-390.png", full_page=True)
    assert not DisinfectionLog.objects.exists()
    assert phone.input_value("select[name=building]") == str(building.pk)
    phone.context.set_offline(False)
    expect(phone.locator("[data-testid=queue-status]")).to_be_hidden()
    expect(phone.locator("[data-testid=disinfection-message]")).to_contain_text("已保存")
    log = DisinfectionLog.objects.get()
    assert log.building == building and log.location == "1单元电梯" and log.photo
    phone.reload()
    assert DisinfectionLog.objects.count() == 1
