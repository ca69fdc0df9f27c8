"""A grid worker on a phone: log in, search by pinyin initials, open a person, see the ID masked.

Drives Debian's chromium through Playwright against pytest-django's live server (which serves static
files from the finders, so `wangge/static/vendor` must exist: `scripts/vendor_static.py`).
Screenshots land in test-artifacts/ (git-ignored).
"""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from conftest import ARTIFACTS, _person, sign_in
from wangge.core.models import AuditEntry

pytestmark = pytest.mark.browser


def test_grid_worker_searches_by_pinyin_initials_and_sees_the_id_masked(world, phone):
    # given: 张四 in grid B, who would match "zs" too if search were not scoped
    zhang_si = _person(world.households["b"], "张四", 5)
    zhang_san = world.persons["zhang_san"]

    # when: gavin (grid A) logs in on his phone
    sign_in(phone, "gavin")
    expect(phone.locator("[data-testid=my-grids]")).to_be_visible()

    # and searches by pinyin initials
    phone.fill("[data-testid=search]", "zs")
    phone.keyboard.press("Enter")
    phone.wait_for_url("**/people/search/**")
    rows = phone.locator("[data-testid=person-row]")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("张三")
    expect(phone.locator("[data-testid=person-list]")).not_to_contain_text(zhang_si.name)
    phone.screenshot(path=ARTIFACTS / "search-zs-390.png", full_page=True)

    # then: the person page shows the ID masked, never in full
    rows.first.click()
    phone.wait_for_url(f"**{reverse('people:person_detail', args=[zhang_san.pk])}")
    masked = phone.locator("[data-testid=masked-id_number]")
    expect(masked).to_have_text(zhang_san.id_number_masked)
    assert "*" in masked.inner_text()
    assert zhang_san.id_number not in phone.content()
    phone.screenshot(path=ARTIFACTS / "person-masked-390.png", full_page=True)

    # and a reveal with a reason swaps the full number in (htmx) and is audited
    phone.locator("[data-testid=reveal-id_number] select").select_option("入户核查")
    phone.locator("[data-testid=reveal-id_number] button").click()
    expect(phone.locator("[data-testid=revealed-id_number]")).to_have_text(zhang_san.id_number)
    phone.screenshot(path=ARTIFACTS / "person-revealed-390.png", full_page=True)
    entry = AuditEntry.objects.get(action="reveal")
    assert (entry.actor, entry.target_id, entry.reason) == (
        world.users["gavin"],
        str(zhang_san.pk),
        "入户核查",
    )


def test_person_form_shows_the_bilingual_error_in_place(world, phone):
    # given: gavin is signed in
    sign_in(phone, "gavin")
    zhang_san = world.persons["zhang_san"]
    wrong = zhang_san.id_number[:17] + ("0" if zhang_san.id_number[17] != "0" else "1")

    # when: he types an ID number with a wrong check digit
    phone.goto(reverse("people:person_edit", args=[zhang_san.pk]))
    phone.fill("input[name=id_number]", wrong)
    phone.locator("[data-testid=save]").click()

    # then: htmx swaps the form (422) with the message next to the field; nothing is saved
    expect(phone.locator("[data-testid=error-id_number]")).to_have_text(
        "证件号码校验位错误 / ID number check digit is wrong"
    )
    phone.screenshot(path=ARTIFACTS / "person-form-error-390.png", full_page=True)
    zhang_san.refresh_from_db()
    assert zhang_san.id_number_masked == world.persons["zhang_san"].id_number_masked
    assert not AuditEntry.objects.filter(action="update").exists()
