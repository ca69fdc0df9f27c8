"""The demo street on day 6 of an outbreak, seeded once for this package's test modules (2,000
persons): the seed takes half a minute, so the modules share it (package scope; the tests outside
this package never run inside its transaction)."""

from collections.abc import Iterator
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

PERSONS = 2000
SEEDED_AT = datetime(2026, 12, 7, 10, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # as the tests' autouse fixture


@pytest.fixture(scope="package")
def street(django_db_setup, django_db_blocker) -> Iterator[None]:
    """Seed once, inside a transaction rolled back after the package's last test, on a fixed
    morning (10:30 in Shanghai, after the 08:00 check-ins) that the package's tests share."""
    with time_machine.travel(SEEDED_AT, tick=True), django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            with override_settings(PASSWORD_HASHERS=FAST_HASHERS):
                call_command("seed_demo", "--persons", str(PERSONS), "--seed", "1", verbosity=0)
            yield
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def street_db(street, db) -> None:
    """The seeded street, each test in its own savepoint."""
