"""On a phone: a resident acknowledges with the big button; a grid worker dials a household of
the call list (revealed and audited) and marks it reached by phone.

Drives Debian's chromium through Playwright against the live server. Screenshots land in
test-artifacts/ (git-ignored).
"""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from conftest import ARTIFACTS, sign_in
from wangge.core.models import AuditEntry
from wangge.notify.acks import ack_token
from wangge.notify.escalation import escalation_run
from wangge.notify.models import Recipient
from wangge.notify.tests.sent import Group, at, delivery_of, recipient_of, sent_message

pytestmark = pytest.mark.browser


def test_the_resident_acknowledges_with_the_button(world, phone):
    zhang = recipient_of(sent_message(world), world.persons["zhang_san"])

    phone.goto(reverse("notify:ack", args=[ack_token(zhang.pk)]))
    phone.screenshot(path=ARTIFACTS / "notify-ack.png", full_page=True)
    phone.get_by_test_id("ack-button").click()

    expect(phone.get_by_test_id("ack-done")).to_be_visible()
    zhang.refresh_from_db()
    assert zhang.acknowledged_at is not None


def test_the_grid_worker_dials_and_marks_a_household_reached(world, phone):
    message = sent_message(world)
    delivery_of(recipient_of(message, world.persons["zhang_san"]), "failed")
    escalation_run(now=at(10), send_to_grid=Group())

    sign_in(phone, "gavin")
    phone.goto(reverse("notify:message_calls", args=[message.pk]))
    row = phone.get_by_test_id("call-row")
    row.get_by_test_id("call").click()
    expect(phone.get_by_test_id("dial")).to_have_attribute("href", "tel:13800001111")
    row.locator("input[name=note]").fill("已告知")
    row.get_by_test_id("mark-reached").click()
    expect(phone.get_by_test_id("reached")).to_be_visible()
    phone.screenshot(path=ARTIFACTS / "notify-calls.png", full_page=True)

    zhang = Recipient.objects.get(person=world.persons["zhang_san"])
    assert zhang.reached_by_phone and zhang.call_note == "已告知"
    assert AuditEntry.objects.filter(action="reveal", actor=world.users["gavin"]).count() == 1
