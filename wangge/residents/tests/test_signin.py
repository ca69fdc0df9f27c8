"""Signing in by one-time code: expiry, tries, per-number and per-address limits, no bypass,
the SMS through the fake gateway over HTTP, the demo outbox and its deploy check."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.core.checks import run_checks
from django.test import Client
from django.utils import timezone

from wangge.core.origin import Origin
from wangge.notify.tests.conftest import fake_gateway  # noqa: F401  (the fixture)
from wangge.residents.auth import COOKIE
from wangge.residents.models import SignInCode
from wangge.residents.services.signin import (
    SignInRefused,
    code_send,
    code_verify,
    outbox,
)

pytestmark = pytest.mark.django_db

PHONE = "13800001111"


def _code() -> str:
    """The live code, as the outbox page shows it (the tests' settings turn the outbox on)."""
    return outbox()[0][1]


def test_a_code_signs_in_once(world):
    code_send(phone=PHONE)
    code = _code()
    signed = code_verify(phone=PHONE, code=code)
    assert signed.account.household == world.households["a"]
    with pytest.raises(SignInRefused, match="已失效"):
        code_verify(phone=PHONE, code=code)


def test_a_code_expires_after_five_minutes(world):
    code_send(phone=PHONE)
    code = _code()
    with (
        time_machine.travel(timezone.now() + timedelta(minutes=5, seconds=1)),
        pytest.raises(SignInRefused, match="已失效"),
    ):
        code_verify(phone=PHONE, code=code)


def test_five_wrong_tries_kill_the_code(world):
    code_send(phone=PHONE)
    code = _code()
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    for left in range(4, 0, -1):
        with pytest.raises(SignInRefused, match=f"（{left}）"):
            code_verify(phone=PHONE, code=wrong)
    with pytest.raises(SignInRefused, match="已失效"):
        code_verify(phone=PHONE, code=wrong)
    with pytest.raises(SignInRefused, match="已失效"):
        code_verify(phone=PHONE, code=code)


def test_only_the_newest_code_counts(world):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        code_send(phone=PHONE)
        first = _code()
    with time_machine.travel(start + timedelta(seconds=61), tick=False):
        code_send(phone=PHONE)
        if first != _code():
            with pytest.raises(SignInRefused, match="不正确"):
                code_verify(phone=PHONE, code=first)


def test_a_number_gets_a_code_a_minute_and_five_an_hour(world):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        code_send(phone=PHONE)
        with pytest.raises(SignInRefused, match="秒后"):
            code_send(phone=PHONE)
    for minute in range(1, 5):
        with time_machine.travel(start + timedelta(minutes=minute), tick=False):
            code_send(phone=PHONE)
    with (
        time_machine.travel(start + timedelta(minutes=10), tick=False),
        pytest.raises(SignInRefused, match="一小时内"),
    ):
        code_send(phone=PHONE)
    with time_machine.travel(start + timedelta(minutes=61), tick=False):
        code_send(phone=PHONE)


def test_an_address_is_limited_across_numbers(world, settings):
    settings.WANGGE = {**settings.WANGGE, "RESIDENT_CODES_PER_ADDRESS_PER_MINUTE": 2}
    origin = Origin(ip="10.1.2.3")
    code_send(phone="13800001111", origin=origin)
    code_send(phone="13900002222", origin=origin)
    with pytest.raises(SignInRefused, match="过于频繁"):
        code_send(phone="13700003333", origin=origin)
    code_send(phone="13700003333", origin=Origin(ip="10.1.2.4"))


def test_no_code_is_ever_accepted_without_being_sent(world):
    for guess in ("000000", "123456", "111111", ""):
        with pytest.raises(SignInRefused):
            code_verify(phone=PHONE, code=guess)


def test_the_pages_sign_a_phone_in_and_keep_it_out_of_the_url(world):
    client = Client()
    asked = client.post("/my/signin/", {"phone": "138-0000-1111", "next": "/my/"})
    assert asked.status_code == 302
    assert "1111" not in asked["Location"]
    client.post("/my/signin/", {"phone": "13800001111"})
    page = client.get(asked["Location"])
    assert "138****1111" in page.content.decode()
    wrong = client.post("/my/signin/code/", {"code": "abc", "next": "/my/"})
    assert wrong.status_code == 422
    done = client.post("/my/signin/code/", {"code": _code(), "next": "/my/"})
    assert done.status_code == 302 and done["Location"] == "/my/"
    assert done.cookies[COOKIE]["max-age"] or done.cookies[COOKIE]["expires"]
    assert "张三" in client.get("/my/").content.decode()
    client.post("/my/signout/")
    assert client.get("/my/").status_code == 302


def test_a_landline_or_garbage_is_refused_with_a_message(world):
    for typed in ("0571-8888 1234", "hello", "1380000"):
        page = Client().post("/my/signin/", {"phone": typed})
        assert page.status_code == 422
        assert "手机号码" in page.content.decode()
    assert not SignInCode.objects.exists()


def test_a_foreign_next_is_ignored(world):
    client = Client()
    client.post("/my/signin/", {"phone": PHONE})
    done = client.post("/my/signin/code/", {"code": _code(), "next": "https://evil.example/"})
    assert done["Location"] == "/my/"


def test_the_code_goes_by_sms_through_the_gateway(world, settings, fake_gateway):  # noqa: F811
    gateway = fake_gateway()
    settings.WANGGE = {
        **settings.WANGGE,
        "SMS_URL": f"{gateway.url}/sms",
        "RESIDENT_CODE_OUTBOX": False,
    }
    row = code_send(phone=PHONE)
    assert row.sent == SignInCode.Sent.SENT and row.outbox_sealed == ""
    (line,) = gateway.lines()
    assert line["to"] == PHONE
    code = re.search(r"\b(\d{6})\b", line["text"]).group(1)
    assert code_verify(phone=PHONE, code=code).account.person == world.persons["zhang_san"]


def test_a_dead_gateway_refuses_with_a_message_and_keeps_no_live_code(world, settings):
    settings.WANGGE = {
        **settings.WANGGE,
        "SMS_URL": "http://127.0.0.1:9/",
        "SMS_TIMEOUT_SECONDS": 1,
    }
    with pytest.raises(SignInRefused, match="发送失败"):
        code_send(phone=PHONE)
    assert SignInCode.objects.get().sent == SignInCode.Sent.FAILED


def test_the_outbox_is_for_demo_deployments_only(world, client, settings):
    code_send(phone=PHONE)
    client.force_login(world.users["gavin"])
    assert _code() in client.get("/residents/outbox/").content.decode()
    client.force_login(world.users["kim"])
    assert client.get("/residents/outbox/").status_code == 403
    assert [m.id for m in run_checks(include_deployment_checks=True)].count(
        "wangge.residents.E001"
    ) == 1
    settings.WANGGE = {**settings.WANGGE, "RESIDENT_CODE_OUTBOX": False}
    client.force_login(world.users["gavin"])
    assert client.get("/residents/outbox/").status_code == 404
    assert "wangge.residents.E001" not in [m.id for m in run_checks(include_deployment_checks=True)]


def test_the_api_signs_in_with_the_same_rules(world):
    from rest_framework.test import APIClient

    api = APIClient()
    assert api.get("/api/my/session/").status_code == 404
    assert (
        api.post("/api/my/session/code/", {"phone": "0571-8888 1234"}, format="json").status_code
        == 400
    )
    assert api.post("/api/my/session/code/", {"phone": PHONE}, format="json").status_code == 202
    assert api.post("/api/my/session/code/", {"phone": PHONE}, format="json").status_code == 429
    wrong = api.post("/api/my/session/", {"phone": PHONE, "code": "12"}, format="json")
    assert wrong.status_code == 400 and "code" in wrong.json()
    done = api.post("/api/my/session/", {"phone": PHONE, "code": _code()}, format="json")
    assert done.status_code == 201 and COOKIE in done.cookies
    assert api.get("/api/my/session/").json()["phone"] == "138****1111"
    assert api.get("/api/my/household/").status_code == 200
    assert api.post("/api/my/session/signout/").status_code == 204
    assert api.get("/api/my/household/").status_code in (401, 403)
