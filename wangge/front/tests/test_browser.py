"""The commander's home on a phone: every tile visible, the four charts drawn, nothing wider than
the screen, and a tile opens its list."""

import pytest
from playwright.sync_api import expect

from conftest import ARTIFACTS, sign_in

pytestmark = pytest.mark.browser


def test_the_commanders_home_fits_a_phone_and_its_tiles_open_their_lists(world, phone):
    # when: the street commander signs in on a 390-wide phone
    sign_in(phone, "alice")

    # then: the tiles and the four charts are there, and the page is no wider than the phone
    expect(phone.locator("[data-testid=situation]")).to_be_visible()
    expect(phone.locator("[data-testid=tiles] a")).to_have_count(16)
    expect(phone.locator("[data-chart] canvas")).to_have_count(4)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.screenshot(path=ARTIFACTS / "commander-home-390.png", full_page=True)

    # and a colour tile opens the households of that colour
    phone.locator("[data-testid=tile-colour-white]").click()
    phone.wait_for_url("**/regions/colours/households/?colour=white")
    expect(phone.locator("[data-testid=households] tbody tr")).to_have_count(4)
