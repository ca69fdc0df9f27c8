"""A grid worker on a phone, 我的管控对象: record a feverish check-in with one tap on the due row,
see it among the fever alerts, and find the alert in the bell's inbox.

Drives Debian's chromium through Playwright against the live server, like people/tests/test_browser.py.
Screenshots land in test-artifacts/ (git-ignored).
"""

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from conftest import ARTIFACTS, sign_in
from wangge.core.models import Alert
from wangge.measures.models import CheckIn, CheckInSlot
from wangge.measures.services import measure_assign

pytestmark = pytest.mark.browser


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
