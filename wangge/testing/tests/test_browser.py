"""A grid worker on a phone, 未检人员: dial an untested resident (the phone is revealed and
audited), mark another one away (a reason is required), and the round page's coverage chart.

Drives Debian's chromium through Playwright against the live server. Screenshots land in
test-artifacts/ (git-ignored).
"""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from conftest import ARTIFACTS, sign_in
from wangge.core.models import AuditEntry
from wangge.testing.models import RoundMark

pytestmark = pytest.mark.browser


def test_the_grid_worker_dials_and_marks_from_the_untested_list(world, east_round, phone):
    sign_in(phone, "gavin")
    phone.goto(reverse("testing:untested", args=[east_round.pk]))
    expect(phone.get_by_test_id("untested-count")).to_have_text("2")
    cards = phone.get_by_test_id("untested-person")

    cards.filter(has_text="张三").get_by_test_id("call").click()
    expect(phone.get_by_test_id("dial")).to_have_attribute("href", "tel:13800001111")

    li_si = cards.filter(has_text="李四")
    li_si.get_by_role("button", name="外出").click()
    expect(phone.get_by_test_id("mark-error")).to_contain_text("reason")
    li_si = phone.get_by_test_id("untested-person").filter(has_text="李四")
    li_si.locator("input[name=note]").fill("在杭州上班")
    li_si.get_by_role("button", name="外出").click()
    expect(phone.get_by_test_id("mark")).to_have_text("外出")
    phone.screenshot(path=ARTIFACTS / "testing-untested.png", full_page=True)

    assert RoundMark.objects.get(person=world.persons["li_si"]).kind == "away"
    assert AuditEntry.objects.filter(action="reveal", actor=world.users["gavin"]).count() == 1


def test_the_round_page_draws_its_coverage_chart(world, east_round, phone):
    sign_in(phone, "alice")
    phone.goto(reverse("testing:round", args=[east_round.pk]))

    expect(phone.get_by_test_id("total-target")).to_have_text("3")
    expect(phone.locator("[data-chart=coverage] canvas")).to_have_count(1)
    phone.screenshot(path=ARTIFACTS / "testing-round.png", full_page=True)
