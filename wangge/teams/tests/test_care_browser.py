"""A carer's round on a phone (Debian's chromium, 390 px): Gavin sees Li Si overdue in red, taps
已联系正常 and the plan is no longer overdue; Carol's 包保 page shows the household's team."""

from datetime import timedelta

import pytest
from django.utils import timezone

from conftest import ARTIFACTS, sign_in
from wangge.people.models import Duty
from wangge.teams.models import CallOutcome, WelfareCall
from wangge.teams.services.baobao import baobao_assign
from wangge.teams.services.care import care_plan_create

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_carer_logs_a_call_with_one_tap_and_the_baobao_page_shows_the_team(fuller_world, phone):
    world = fuller_world
    care_plan_create(
        by=world.users["carol"],
        person=world.persons["li_si"],
        reason="living_alone",
        interval_hours=24,
        carer=world.users["gavin"],
        started=timezone.localdate() - timedelta(days=2),
    )
    sign_in(phone, "gavin")
    phone.goto("/teams/care/")
    card = phone.locator("[data-testid=care-mine]", has_text="李四")
    assert "已超时" in card.inner_text()
    phone.screenshot(path=ARTIFACTS / "teams-care-phone.png", full_page=True)
    card.get_by_role("button", name="已联系正常").click()
    phone.wait_for_selector("text=已记录")
    assert WelfareCall.objects.get(plan__person=world.persons["li_si"]).outcome == CallOutcome.OK
    assert "已超时" not in phone.locator("[data-testid=care-mine]").inner_text()

    baobao_assign(
        by=world.users["alice"],
        target=world.households["a"],
        holder=world.users["carol"],
        duty=Duty.STREET_CADRE,
    )
    phone.goto("/teams/baobao/")
    row = phone.locator("[data-testid=baobao-grid] tr", has_text="张三")
    assert "Carol" in row.inner_text() and "缺" in row.inner_text()
    phone.screenshot(path=ARTIFACTS / "teams-baobao-phone.png", full_page=True)
