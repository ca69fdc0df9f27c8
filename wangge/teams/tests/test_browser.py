"""A volunteer signs up on a phone (Debian's chromium, 390 px) and the community worker confirms
the sign-up from the hub's queue."""

import pytest

from conftest import ARTIFACTS, sign_in
from wangge.teams.models import Member, MemberStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_volunteer_signs_up_on_a_phone_and_the_community_confirms(world, teams, phone):
    # a volunteer on the public page
    phone.goto("/teams/join/")
    phone.select_option("select[name=team]", str(teams.east.pk))
    phone.fill("input[name=name]", "林晓雯")
    phone.fill("input[name=phone]", "139-0571-8801")
    phone.check("input[name=skills][value=medical]")
    phone.screenshot(path=ARTIFACTS / "teams-join-390.png", full_page=True)
    phone.click("[data-testid=join-submit]")
    phone.wait_for_selector("[data-testid=join-thanks]")
    assert "待确认" in phone.inner_text("[data-testid=signup-status]")
    # the community worker confirms it from the hub
    sign_in(phone, "carol")
    phone.goto("/teams/")
    phone.wait_for_selector("[data-testid=signup]")
    phone.screenshot(path=ARTIFACTS / "teams-hub-390.png", full_page=True)
    phone.click("[data-testid=signup] [data-testid=confirm]")
    phone.wait_for_selector("text=没有待确认的报名")
    assert Member.objects.get().status == MemberStatus.CONFIRMED
