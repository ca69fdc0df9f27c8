"""A resident's morning on a phone (Debian's chromium, 390 px): signs in with the code the SMS
gateway received (the fake gateway over HTTP, its log read as the phone would read the SMS),
registers a child who joined the household, shows the personal code, checks in under the home
isolation and asks the grid for medicine. Each step lands where the staff will find it."""

import re

import pytest

from conftest import ARTIFACTS, make_id_number
from wangge.measures.models import CheckIn
from wangge.notify.tests.conftest import fake_gateway, wait_for  # noqa: F401  (the fixture)
from wangge.people.models import Person
from wangge.residents.models import HelpRequest, Registration

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _code_from(gateway) -> str:  # noqa: ANN001  (RunningGateway)
    assert wait_for(lambda: bool(gateway.lines()))
    return re.search(r"\b(\d{6})\b", gateway.lines()[-1]["text"]).group(1)


def test_a_resident_signs_in_registers_shows_the_code_checks_in_and_asks_for_help(
    fuller_world,
    phone,
    settings,
    fake_gateway,  # noqa: F811
):
    gateway = fake_gateway()
    settings.WANGGE = {
        **settings.WANGGE,
        "SMS_URL": f"{gateway.url}/sms",
        "RESIDENT_CODE_OUTBOX": False,
    }
    zhang = fuller_world.persons["zhang_san"]

    # signs in: the phone as people type it, then the code from the SMS
    phone.goto("/my/")
    phone.fill("[data-testid=phone]", "138-0000-1111")
    phone.click("[data-testid=send-code]")
    phone.wait_for_selector("[data-testid=code]")
    assert gateway.lines()[-1]["to"] == "13800001111"
    phone.fill("[data-testid=code]", _code_from(gateway))
    phone.click("[data-testid=sign-in]")
    phone.wait_for_selector("[data-testid=household]")
    assert "张三" in phone.inner_text("[data-testid=household]")
    phone.screenshot(path=ARTIFACTS / "resident-home-390.png", full_page=True)

    # registers a newborn: the request waits for the grid worker, nothing enters the register
    phone.goto("/my/registration/new/")
    newcomer = phone.locator("[data-testid=member-row]", has_text="新增成员").first
    newcomer.locator("input[name$=-name]").fill("张小宝")
    newcomer.locator("select[name$=-relation]").select_option("child")
    newcomer.locator("input[name$=-id_number]").fill(make_id_number(99))
    phone.click("[data-testid=submit]")
    phone.wait_for_url(re.compile(r"/my/registration/\d+/$"))
    registration = Registration.objects.get()
    assert registration.status == Registration.Status.PENDING
    assert not Person.objects.filter(name="张小宝").exists()

    # shows the code: the static token's QR, the state a gate decides, a running clock
    phone.goto(f"/my/code/{zhang.pk}/")
    phone.wait_for_selector("[data-testid=qr] svg")
    first = phone.inner_text("[data-testid=clock]")
    phone.wait_for_function(
        "first => document.querySelector('[data-testid=clock]').textContent !== first", arg=first
    )
    assert phone.inner_text("[data-testid=band]")
    assert phone.evaluate("localStorage.getItem('wangge.personal_code')").startswith("WGP:")
    phone.screenshot(path=ARTIFACTS / "resident-code-390.png", full_page=True)

    # checks in under the home isolation
    phone.goto(f"/my/checkin/{zhang.pk}/")
    phone.fill("input[name=temperature]", "36.6")
    phone.click("[data-testid=submit]")
    phone.wait_for_selector("[data-testid=resident-done]")
    assert CheckIn.objects.filter(measure__person=zhang, source=CheckIn.Source.RESIDENT).exists()

    # asks for medicine: routed to the grid
    phone.goto("/my/requests/new/")
    phone.locator("label.kind", has_text="代开药").click()
    phone.fill("textarea[name=text]", "降压药吃完了，请帮忙到社区医院代开一盒。")
    phone.click("[data-testid=submit]")
    phone.wait_for_url(re.compile(r"/my/requests/\d+/$"))
    request = HelpRequest.objects.get()
    assert request.person == zhang and request.household == zhang.household
    phone.screenshot(path=ARTIFACTS / "resident-request-390.png", full_page=True)
