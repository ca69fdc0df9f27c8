"""A grid worker on a phone, 我的管控对象: record a feverish check-in with one tap on the due row,
see it among the fever alerts, and find the alert in the bell's inbox.

Drives Debian's chromium through Playwright against the live server, like people/tests/test_browser.py.
Screenshots land in test-artifacts/ (git-ignored).
"""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect, sync_playwright

from conftest import PASSWORD
from wangge.core.models import Alert
from wangge.measures.models import CheckIn, CheckInSlot
from wangge.measures.services import measure_assign

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

ARTIFACTS = Path(django_settings.BASE_DIR) / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

pytestmark = pytest.mark.browser


@pytest.fixture
def phone(live_server) -> Iterator[Page]:
    vendor = Path(django_settings.BASE_DIR) / "wangge" / "static" / "vendor" / "htmx.min.js"
    assert vendor.exists(), "run scripts/vendor_static.py: the pages need their vendored htmx"
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
        )
        context = browser.new_context(
            viewport={"width": 390, "height": 844}, locale="zh-CN", base_url=live_server.url
        )
        page = context.new_page()
        yield page
        context.close()
        browser.close()


def sign_in(page: Page, username: str) -> None:
    page.goto(reverse("accounts:login"))
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("[data-testid=login-form] button[type=submit]").click()
    page.wait_for_url(f"**{reverse('core:home')}")


def test_grid_worker_records_a_fever_checkin_and_sees_the_alert(world, drill, phone):
    # given Zhang San under home isolation today, with a check-in due now (Gavin leads his team)
    (measure,) = measure_assign(
        by=world.users["carol"],
        persons=[world.persons["zhang_san"]],
        measure_type=drill["home"],
        start=timezone.localdate(),
        reason="自外地返回",
    )
    CheckInSlot.objects.create(measure=measure, due_at=timezone.now())

    # when Gavin opens 我的管控对象 on his phone and taps the due row
    sign_in(phone, "gavin")
    phone.goto(reverse("measures:mine"))
    due = phone.locator("[data-testid=due] [data-testid=slot-row]").filter(has_text="张三").first
    due.locator("[data-testid=record]").click()
    phone.fill("[data-testid=temperature]", "38.5")
    phone.get_by_label("咳嗽").check()
    phone.screenshot(path=ARTIFACTS / "measures-checkin-390.png", full_page=True)
    phone.locator("[data-testid=save-checkin]").click()

    # then the board comes back with the notice and the fever alert on top
    expect(phone.locator("[data-testid=notice]")).to_contain_text("已向包保小组发出预警")
    fevers = phone.locator("[data-testid=fevers]")
    expect(fevers).to_contain_text("张三")
    expect(fevers).to_contain_text("38.5°C")
    expect(phone.locator("[data-testid=fever-count]")).to_have_text("1")
    phone.screenshot(path=ARTIFACTS / "measures-board-fever-390.png", full_page=True)
    assert CheckIn.objects.get().flagged

    # and the bell carries the alert, which reads in the inbox
    phone.goto(reverse("measures:mine"))
    expect(phone.locator("[data-testid=unread-count]")).to_have_text("1")
    phone.locator("[data-testid=bell]").click()
    expect(phone.locator("[data-testid=alert]").first).to_contain_text("体温/症状异常：张三 38.5°C")
    assert Alert.objects.get(recipient=world.users["gavin"]).kind == "measure_fever"
