"""The venue-code page on a phone (Debian's chromium): a phone typed once is remembered, a
personal code kept by the residents' pages is sent instead of a phone, and a revoked one brings
the phone field back."""

import pytest

from conftest import ARTIFACTS
from wangge.checkpoints import tokens
from wangge.checkpoints.models import PersonalCode
from wangge.checkpoints.services import personal_code_revoke, personal_codes_issue
from wangge.venues.models import Visit
from wangge.venues.tests.visiting import code_of, venue

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_phone_is_remembered_and_a_held_personal_code_is_one_tap(world, phone):
    place = venue(world, "老街面馆")
    zhang = world.persons["zhang_san"]
    personal_codes_issue(by=world.users["alice"], persons=[zhang])
    code = tokens.payload(tokens.PERSON, PersonalCode.objects.get(person=zhang).token_sealed)
    url = f"/v/{code_of(place)}/"

    # a first scan: the phone typed once
    phone.goto(url)
    phone.fill("[data-testid=phone]", "13900002222")
    phone.click("[data-testid=record]")
    phone.wait_for_selector("[data-testid=visit-done]")
    phone.screenshot(path=ARTIFACTS / "venue-visit-done-390.png", full_page=True)
    assert "139****2222" in phone.inner_text("[data-testid=visitor]")

    # the next scan finds it filled in
    phone.goto(url)
    assert phone.input_value("[data-testid=phone]") == "13900002222"

    # with a personal code in the browser, the phone field steps aside and the code is sent
    phone.evaluate(f"localStorage.setItem('wangge.personal_code', '{code}')")
    phone.goto(url)
    assert phone.is_hidden("[data-testid=phone]")
    phone.click("[data-testid=record]")
    phone.wait_for_selector("[data-testid=visit-done]")

    assert "张*" in phone.inner_text("[data-testid=visitor]")
    assert [visit.person_id for visit in Visit.objects.order_by("at")] == [None, zhang.pk]

    # a revoked code without a remembered phone is refused, and the phone field comes back
    personal_code_revoke(by=world.users["alice"], person=zhang, reason="遗失")
    phone.evaluate("localStorage.removeItem('wangge.visit_phone')")
    phone.goto(url)
    phone.click("[data-testid=record]")
    phone.wait_for_selector("[data-testid=visit-errors]")
    phone.fill("[data-testid=phone]", "13900002222")
    phone.click("[data-testid=record]")
    phone.wait_for_selector("[data-testid=visit-done]")
    assert "139****2222" in phone.inner_text("[data-testid=visitor]")
