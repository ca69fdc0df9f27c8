"""Staff and residents' accounts: the household page lists them for those who see the household;
a worker who may edit it stops an account (every session ends) and lets it in again."""

import pytest

from wangge.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_the_household_page_lists_its_accounts_for_its_staff_only(world, resident_client, client):
    _phone, account = resident_client("13800001111")
    household = world.households["a"]
    client.force_login(world.users["gavin"])
    assert "138****1111" in client.get(f"/regions/household/{household.pk}/").content.decode()
    client.force_login(world.users["bella"])
    assert client.get(f"/regions/household/{household.pk}/").status_code == 404
    assert (
        client.post(f"/residents/accounts/{account.pk}/disable/", {"reason": "x"}).status_code
        == 404
    )


def test_a_stopped_account_is_signed_out_everywhere_and_can_come_back(
    world, resident_client, client
):
    phone, account = resident_client("13800001111")
    client.force_login(world.users["gavin"])
    refused = client.post(f"/residents/accounts/{account.pk}/disable/", {"reason": " "})
    assert refused.status_code == 302
    account.refresh_from_db()
    assert account.disabled_at is None
    client.post(f"/residents/accounts/{account.pk}/disable/", {"reason": "手机已转给他人"})
    account.refresh_from_db()
    assert account.disabled_at is not None
    assert phone.get("/my/").status_code == 302
    assert AuditEntry.objects.filter(reason="手机已转给他人", actor=world.users["gavin"]).exists()
    client.post(f"/residents/accounts/{account.pk}/enable/")
    account.refresh_from_db()
    assert account.disabled_at is None


def test_a_tracer_sees_the_accounts_but_cannot_stop_them(world, resident_client, client):
    _phone, account = resident_client("13800001111")
    client.force_login(world.users["tracy"])
    assert (
        client.post(f"/residents/accounts/{account.pk}/disable/", {"reason": "x"}).status_code
        == 403
    )
    account.refresh_from_db()
    assert account.disabled_at is None
