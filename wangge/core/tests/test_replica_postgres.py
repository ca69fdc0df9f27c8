"""Reads a view opts into are answered by the streaming standby; reads that must be fresh are not.

Runs against a real second PostgreSQL cluster, the hot standby scripts/replica.sh keeps on port
5433, which scripts/test.sh names in DATABASE_REPLICA_URL for the PostgreSQL pass (the alias mirrors
the primary's test database, which streaming replication copies). Every read below asks the server
that answers it `pg_is_in_recovery()`: true only on the standby. Without a replica the tests are
skipped, except under CI=true, where that is a failure.
"""

import os
import time
from collections.abc import Callable

import pytest
from django.conf import settings
from django.db import connection, connections, transaction
from django.db.models.expressions import RawSQL
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from wangge.accounts.models import User
from wangge.core.replica import REPLICA, replica_reads
from wangge.regions.models import Street

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="a standby is PostgreSQL's"),
    pytest.mark.django_db(transaction=True, databases=["default", REPLICA]),
]

ON_STANDBY = RawSQL("pg_is_in_recovery()", [])


@pytest.fixture(autouse=True)
def _standby() -> None:
    if REPLICA in settings.DATABASES:
        return
    message = "no read replica: DATABASE_REPLICA_URL is unset (scripts/replica.sh, scripts/test.sh)"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


def _caught_up() -> None:
    """Wait until the standby has replayed everything the primary has committed so far."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()")
        (written,) = cursor.fetchone()
    deadline = time.monotonic() + 10
    with connections[REPLICA].cursor() as cursor:
        while True:
            cursor.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [written])
            if cursor.fetchone()[0] or time.monotonic() > deadline:
                return
            time.sleep(0.01)


def _answered_by_standby(read: Callable[[], list[bool]]) -> bool:
    answers = set(read())
    assert len(answers) == 1, answers
    return answers.pop()


def _streets_on_standby() -> list[bool]:
    return list(Street.objects.annotate(standby=ON_STANDBY).values_list("standby", flat=True))


@pytest.fixture
def street() -> Street:
    made = Street.objects.create(name="江南街道")
    _caught_up()
    return made


def test_a_read_the_code_opts_into_is_answered_by_the_standby(street):
    with replica_reads(), CaptureQueriesContext(connections[REPLICA]) as on_replica:
        names = list(Street.objects.values_list("name", flat=True))
        standby = _answered_by_standby(_streets_on_standby)

    assert names == ["江南街道"]
    assert standby is True
    assert len(on_replica) == 2
    with connections[REPLICA].cursor() as cursor:
        cursor.execute("SELECT inet_server_port()")
        assert cursor.fetchone()[0] == int(settings.DATABASES[REPLICA]["PORT"])


def test_reads_that_must_be_fresh_stay_on_the_primary(street):
    """One test for the five rules (each transactional test costs a flush of the database)."""
    User.objects.create_user(username="alice", password="x")
    _caught_up()

    nobody_opted_in = _answered_by_standby(_streets_on_standby)
    with replica_reads():
        with transaction.atomic():
            inside_a_transaction = _answered_by_standby(_streets_on_standby)
        a_user = User.objects.annotate(standby=ON_STANDBY).get(username="alice").standby
        read = Street.objects.get(pk=street.pk)
        read.name = "江南街道（新）"
        read.save()
        after_a_write = _answered_by_standby(_streets_on_standby)
        names_after_the_write = list(Street.objects.values_list("name", flat=True))

    assert nobody_opted_in is False
    assert inside_a_transaction is False
    assert a_user is False
    assert read._state.db == "default"
    assert after_a_write is False
    assert names_after_the_write == ["江南街道（新）"]


def test_the_search_page_reads_persons_on_the_standby_and_the_user_on_the_primary(world, client):
    client.force_login(world.users["alice"])
    _caught_up()

    with (
        CaptureQueriesContext(connections[REPLICA]) as on_replica,
        CaptureQueriesContext(connection) as on_primary,
    ):
        response = client.get(reverse("people:search"), {"q": "张"})

    assert "张三" in response.content.decode()
    assert any('FROM "people_person"' in query["sql"] for query in on_replica)
    assert not any('FROM "people_person"' in query["sql"] for query in on_primary)
    assert any('FROM "accounts_user"' in query["sql"] for query in on_primary)
    assert not any("accounts_" in query["sql"] for query in on_replica)
