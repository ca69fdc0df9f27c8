"""Residents signed in the way the portal signs them in: an account for the phone, a session,
its token in the `wg_resident` cookie."""

from collections.abc import Callable

import pytest
from django.test import Client

from wangge.residents.auth import COOKIE
from wangge.residents.models import Account
from wangge.residents.services import account_for_phone, session_start
from wangge.residents.tests.reports_fixtures import isolated, morning, son  # noqa: F401
from wangge.supplies.tests.conftest import stores  # noqa: F401  (the street's catalogue, for /my/supplies/)


@pytest.fixture
def resident_client(db) -> Callable[[str], tuple[Client, Account]]:
    """A client signed in as the resident of `phone` (as `core.identity.parse_phone` gives it: "13800001111")."""

    def signed_in(phone: str) -> tuple[Client, Account]:
        account = account_for_phone(phone=phone)
        _session, raw = session_start(account=account)
        client = Client()
        client.cookies[COOKIE] = raw
        return client, account

    return signed_in


@pytest.fixture(autouse=True)
def _no_gateway_no_address_limits(settings):
    """Codes go to the console unless a test points SMS_URL at a gateway; the per-address buckets
    are off unless a test sets them (they are shared by every test of a worker)."""
    settings.WANGGE = {
        **settings.WANGGE,
        "SMS_URL": "",
        "RESIDENT_CODES_PER_ADDRESS_PER_MINUTE": 0,
        "RESIDENT_TRIES_PER_ADDRESS_PER_MINUTE": 0,
        "RESIDENT_CODE_OUTBOX": True,
    }
