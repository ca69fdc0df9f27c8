"""Gavin inspects 老王饭店 on a phone (390×844) with no network: the inspection and its photo wait
on the phone, and are stored once when it is back online."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from conftest import ARTIFACTS, sign_in
from wangge.venues.models import Card, Inspection
from wangge.venues.services.inspections import checklist_of
from wangge.venues.tests.cards.test_inspections import PNG

pytestmark = pytest.mark.browser


def test_an_inspection_made_offline_waits_on_the_phone_and_is_stored_once(world, site, phone):
    sign_in(phone, "gavin")
    phone.goto(reverse("venues:inspect", args=[site.venue.pk]))
    phone.context.set_offline(True)
    count = len(checklist_of(site.venue))
    phone.locator("[data-testid=fail-1] + span").click()
    for number in range(2, count + 1):
        phone.locator(f"[data-testid=pass-{number}] + span").click()
    phone.set_input_files("#photos", {"name": "门口.png", "mimeType": "image/png", "buffer": PNG})
    phone.locator("[data-testid=submit]").click()
    expect(phone.locator("[data-testid=queue-status]")).to_contain_text("待上传 1 条")
    phone.screenshot(path=ARTIFACTS / "venue-inspect-offline-390.png", full_page=True)
    assert not Inspection.objects.exists()
    phone.context.set_offline(False)
    expect(phone.locator("[data-testid=queue-status]")).to_be_hidden()
    expect(phone.locator("[data-testid=inspect-message]")).to_contain_text("检查已提交")
    inspection = Inspection.objects.get()
    assert not inspection.passed and inspection.photos.count() == 1
    assert Card.objects.get().colour == "yellow"
    phone.reload()
    expect(phone.locator("[data-testid=open-card]")).to_be_visible()
    assert Inspection.objects.count() == 1
