"""A grid worker on a phone opens the compound's floor plan, scrolls it and taps a room to open
the household. Drives Debian's chromium through Playwright against the live server; screenshots
land in test-artifacts/ (git-ignored)."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from conftest import ARTIFACTS, sign_in
from wangge.regions.tests.colour_fixtures import colour_types, coloured, put_under

__all__ = ["colour_types", "coloured"]


pytestmark = pytest.mark.browser


def test_a_grid_worker_taps_a_red_room_on_the_plan(phone, coloured, colour_types):
    # given 张三's home under a red measure
    put_under(coloured.users["alice"], coloured.persons["zhang_san"], colour_types["red"])
    household = coloured.households["a"]

    # when gavin signs in on his phone and opens the compound's plan
    sign_in(phone, "gavin")
    phone.goto(reverse("colours:compound", args=[household.building.compound.pk]))

    # then the plan fits the phone's width, scrolls inside its box, and a room opens its household
    boxes = phone.locator("[data-testid=plan-building]")
    expect(boxes).to_have_count(2)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.screenshot(path=str(ARTIFACTS / "colours-plan-phone.png"), full_page=True)
    phone.locator('.cell[data-colour="red"] a').first.click()
    detail = reverse("regions:household_detail", args=[household.pk])
    expect(phone).to_have_url(re.compile(f"{detail}$"))
    expect(phone.get_by_test_id("household-colour")).to_contain_text("红色")
