"""Accounts, sessions and the one rule of the portal: a resident sees their own household only."""

from datetime import timedelta

import pytest
from django.utils import timezone

from wangge.core.models import AuditEntry
from wangge.residents.auth import COOKIE
from wangge.residents.models import Session
from wangge.residents.services import account_for_phone, session_end, session_start

pytestmark = pytest.mark.django_db


def test_an_account_is_tied_to_the_household_of_its_phone(world):
    account = account_for_phone(phone="13800001111")
    assert account.household == world.households["a"]
    assert account.person == world.persons["zhang_san"]
    assert account.phone_masked == "138****1111"
    assert account_for_phone(phone="13800001111") == account


def test_a_second_number_ties_the_household_but_not_the_person(world):
    li_si = world.persons["li_si"]
    li_si.set_second_phone("15900009999")
    li_si.save()
    account = account_for_phone(phone="15900009999")
    assert account.household == world.households["a1"]
    assert account.person is None


def test_a_phone_in_two_households_ties_none(world):
    wang_wu = world.persons["wang_wu"]
    wang_wu.set_phone("13800001111")
    wang_wu.save()
    account = account_for_phone(phone="13800001111")
    assert account.household is None


def test_an_unknown_phone_has_no_household_yet(world, resident_client):
    client, account = resident_client("17834019904")
    assert account.household is None
    page = client.get("/my/")
    assert page.status_code == 200
    assert b'data-testid="no-household"' in page.content


def test_home_shows_only_the_own_household(world, resident_client):
    client, _account = resident_client("13800001111")
    page = client.get("/my/").content.decode()
    assert "张三" in page
    assert "李四" not in page and "王五" not in page


def test_the_resident_api_answers_the_own_household_only(world, resident_client):
    client, _account = resident_client("13600004444")
    body = client.get("/api/my/household/").json()
    assert body["registered"] is True
    assert [member["name"] for member in body["members"]] == ["赵六"]
    assert body["members"][0]["phone"] == "136****4444"
    assert body["members"][0]["is_self"] is True


def test_the_resident_api_refuses_staff_and_strangers(world, api_client_for, client):
    assert client.get("/api/my/household/").status_code in (401, 403)
    staff = api_client_for(world.users["alice"])
    assert staff.get("/api/my/household/").status_code in (401, 403)


def test_a_session_lasts_thirty_days_and_is_audited(world, resident_client):
    account = account_for_phone(phone="13800001111")
    session, raw = session_start(account=account)
    assert session.expires_at - session.created_at == timedelta(days=30)
    assert Session.objects.get(digest=Session.digest_of(raw)) == session
    assert AuditEntry.objects.filter(
        action=AuditEntry.Action.LOGIN, actor_label="居民 138****1111"
    ).exists()


def test_an_expired_or_ended_session_signs_nobody_in(world, resident_client):
    client, account = resident_client("13800001111")
    session = account.sessions.get()
    Session.objects.filter(pk=session.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client.get("/my/").status_code == 302
    client, account = resident_client("13800001111")
    ended = client.post(f"/my/sessions/{account.sessions.latest('pk').pk}/end/")
    assert ended.status_code == 302
    assert ended.cookies[COOKIE].value == ""
    assert client.get("/my/").status_code == 302


def test_a_resident_cannot_end_another_accounts_session(world, resident_client):
    _client, other = resident_client("13600004444")
    client, account = resident_client("13800001111")
    assert session_end(account=account, session_id=other.sessions.get().pk) == 0
    client.post(f"/my/sessions/{other.sessions.get().pk}/end/")
    assert other.sessions.get().ended_at is None


def test_ending_every_session_signs_every_phone_out(world, resident_client):
    first, account = resident_client("13800001111")
    second, _same = resident_client("13800001111")
    second.post("/my/sessions/end/")
    assert first.get("/my/").status_code == 302
    assert account.sessions.filter(ended_at__isnull=True).count() == 0
