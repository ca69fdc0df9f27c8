from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
import time_machine
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse
from rest_framework.test import APIClient

from wangge.accounts.models import ApiToken
from wangge.accounts.services import staff_deactivate
from wangge.accounts.tokens import api_token_create, api_token_revoke
from wangge.core.models import AuditEntry

ME = "/api/me/"
AFTER_MIDNIGHT = datetime(2026, 3, 1, 16, 1, tzinfo=UTC)  # 00:01 on 2 March in Shanghai


def client_with(raw: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {raw}")
    return client


def test_a_valid_token_authenticates_as_its_user(world):
    token, raw = api_token_create(
        by=world.users["alice"], name="健康码对接", user=world.users["gavin"]
    )

    response = client_with(raw).get(ME)

    assert response.status_code == 200
    assert response.json()["username"] == "gavin"
    assert response.json()["roles"] == [
        {"role": "grid_worker", "label": "网格员", "area": "江南街道·东社区·第一网格"}
    ]
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_key_format_expiry_and_audit(world):
    with time_machine.travel(AFTER_MIDNIGHT, tick=False):
        token, raw = api_token_create(
            by=world.users["alice"], name="大数据平台", user=world.users["tracy"]
        )

    assert raw.startswith("wg_") and len(raw) > 40
    assert token.prefix == raw[:8]
    assert token.digest == ApiToken.digest_of(raw)
    days = settings.WANGGE["API_TOKEN_DAYS"]
    assert token.expires_at == AFTER_MIDNIGHT + timedelta(days=days)
    assert AuditEntry.objects.filter(action="token", target_id=str(token.pk)).exists()


def test_the_raw_key_is_stored_nowhere_in_the_database(world):
    _token, raw = api_token_create(
        by=world.users["alice"], name="网格通", user=world.users["gavin"], days=30
    )
    client_with(raw).get(ME)
    dump = StringIO()

    call_command("dumpdata", stdout=dump)

    assert raw not in dump.getvalue()
    assert raw[8:] not in dump.getvalue()


def test_an_expired_token_is_refused(world):
    with time_machine.travel(AFTER_MIDNIGHT, tick=False):
        _token, raw = api_token_create(
            by=world.users["alice"], name="x", user=world.users["gavin"], days=1
        )

    with time_machine.travel(AFTER_MIDNIGHT + timedelta(days=1, minutes=-1), tick=False):
        still_valid = client_with(raw).get(ME)
    with time_machine.travel(AFTER_MIDNIGHT + timedelta(days=1, minutes=1), tick=False):
        expired = client_with(raw).get(ME)

    assert (still_valid.status_code, expired.status_code) == (200, 401)


def test_a_revoked_token_is_refused(world):
    token, raw = api_token_create(by=world.users["alice"], name="x", user=world.users["gavin"])

    api_token_revoke(by=world.users["alice"], token=token)

    assert client_with(raw).get(ME).status_code == 401
    assert AuditEntry.objects.filter(action="token", changes__has_key="revoked").exists()


def test_a_token_of_a_deactivated_account_is_refused(world):
    _token, raw = api_token_create(by=world.users["alice"], name="x", user=world.users["gavin"])

    staff_deactivate(by=world.users["alice"], user=world.users["gavin"])

    assert client_with(raw).get(ME).status_code == 401


def test_an_unknown_or_malformed_token_is_refused(world):
    assert client_with("wg_nothing").get(ME).status_code == 401
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token a b")
    assert client.get(ME).status_code == 401
    assert APIClient().get(ME).status_code in (401, 403)


def test_only_admins_and_commanders_issue_tokens(world):
    with pytest.raises(PermissionDenied):
        api_token_create(by=world.users["carol"], name="x", user=world.users["gavin"])
    with pytest.raises(PermissionDenied):
        api_token_create(by=world.users["alice"], name="x", user=world.users["admin"])
    api_token_create(by=world.users["admin"], name="x", user=world.users["admin"])


def test_days_are_bounded_by_the_settings(world):
    with pytest.raises(ValidationError):
        api_token_create(
            by=world.users["alice"],
            name="x",
            user=world.users["gavin"],
            days=settings.WANGGE["API_TOKEN_DAYS"] + 1,
        )


def test_tokens_page_creates_shows_the_key_once_and_revokes(client, world):
    client.force_login(world.users["alice"])

    response = client.post(
        reverse("accounts:tokens"), {"name": "健康码对接", "username": "tracy", "days": 90}
    )

    raw = response.context["raw_key"]
    assert response.status_code == 200
    assert raw in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    listing = client.get(reverse("accounts:tokens")).content.decode()
    assert raw not in listing and raw[:8] in listing
    token = ApiToken.objects.get()
    client.post(reverse("accounts:token_revoke", args=[token.pk]))
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_tokens_page_refuses_accounts_outside_scope_and_non_commanders(client, world):
    client.force_login(world.users["alice"])
    response = client.post(
        reverse("accounts:tokens"), {"name": "x", "username": "admin", "days": 9}
    )
    assert response.status_code == 422
    assert not ApiToken.objects.exists()

    client.force_login(world.users["carol"])
    assert client.get(reverse("accounts:tokens")).status_code == 403


def test_command_prints_the_key(world):
    out = StringIO()

    call_command(
        "create_api_token",
        "--user",
        "tracy",
        "--name",
        "流调系统",
        "--days",
        "7",
        stdout=out,
        stderr=StringIO(),
    )

    raw = out.getvalue().strip()
    assert client_with(raw).get(ME).json()["username"] == "tracy"
