"""Zhang San shows his code on a 360 px phone at the system's large font (200 %): the clock
ticks, the page does not scroll sideways, and his own code is kept for a one-tap venue visit."""

import pytest
from django.urls import reverse

from conftest import ARTIFACTS
from wangge.checkpoints import tokens
from wangge.checkpoints.models import PersonalCode
from wangge.residents.auth import COOKIE
from wangge.residents.services import account_for_phone, session_start

pytestmark = pytest.mark.browser


def test_the_code_page_ticks_and_fits_a_small_phone_at_large_font(world, live_server, phone):
    # given Zhang San signed in on a 360 px phone with the system's font at 200 %
    _session, raw = session_start(account=account_for_phone(phone="13800001111"))
    phone.context.add_cookies([{"name": COOKIE, "value": raw, "url": live_server.url}])
    phone.set_viewport_size({"width": 360, "height": 740})
    cdp = phone.context.new_cdp_session(phone)
    cdp.send("Page.enable")
    cdp.send("Page.setFontSizes", {"fontSizes": {"standard": 32, "fixed": 26}})

    # when he opens his code
    phone.goto(reverse("residents:code_entry"))
    clock = phone.locator("[data-testid=clock]")
    first = clock.inner_text()

    # then the clock ticks, nothing scrolls sideways, and his code is kept for the venue page
    phone.wait_for_function(f"document.querySelector('[data-clock]').textContent !== '{first}'")
    assert phone.evaluate("getComputedStyle(document.body).fontSize") == "32px"
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    code = PersonalCode.objects.get(person=world.persons["zhang_san"])
    kept = phone.evaluate("window.localStorage.getItem('wangge.personal_code')")
    assert kept == tokens.payload(tokens.PERSON, code.token_sealed)
    phone.screenshot(path=str(ARTIFACTS / "residents-code-200pct.png"))
