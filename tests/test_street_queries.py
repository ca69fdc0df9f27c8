"""Every read of a per-street table on the main pages stays in the user's street.

A district past one primary distributes its per-street tables on the street (docs/scale-out.md);
a query that does not name the street then goes to every node. This test reads the query log of
the main pages as Alice, the commander of 江南街道, and asserts that every SELECT of a per-street
table keeps to the street — by the street column at the end of the table's path, through the
joins of that path, or a subquery that does — or reads Alice's own rows (the measures and shifts
she serves on, which may lie in other streets). tests/street_sql.py says exactly what counts; the
first tests below show the check fails on statements that miss the street.
"""

import pytest
from django.db import connection
from django.db.models import Q, QuerySet
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.street_sql import Reader, per_street_tables, statement_kinds, street_ways, user_columns
from wangge.checkpoints.models import Checkpoint
from wangge.people.models import Person
from wangge.regions.models import Household, Street

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice_reads(world) -> Reader:
    return Reader(
        street_id=world.street.pk,
        user_id=world.users["alice"].pk,
        per_street=per_street_tables(),
        ways=street_ways(),
        user_columns=user_columns(),
    )


def _kinds(queryset: QuerySet, reader: Reader) -> list[str]:
    with CaptureQueriesContext(connection) as log:
        list(queryset)
    return [kind for query in log for kind, _ in statement_kinds(query["sql"], reader)]


def test_a_restricted_read_stays_in_the_street(world, alice_reads):
    assert _kinds(Person.objects.restrict(world.users["alice"]), alice_reads) == ["street"]


def test_a_read_through_a_restricted_subquery_stays_in_the_street(world, alice_reads):
    households = Household.objects.restrict(world.users["alice"])

    assert set(_kinds(Person.objects.filter(household__in=households), alice_reads)) == {"street"}


def test_a_read_by_a_household_alone_misses_the_street(world, alice_reads):
    members = Person.objects.filter(household=world.households["a"])

    assert _kinds(members, alice_reads) == ["none"]


def test_a_read_of_another_street_misses_the_street(world, alice_reads):
    other = Street.objects.create(name="江北街道")

    assert _kinds(Person.objects.filter(household__grid__community__street=other), alice_reads) == [
        "none"
    ]


def test_the_street_or_anything_else_misses_the_street(world, alice_reads):
    either = Person.objects.filter(
        Q(household__grid__community__street=world.street) | Q(household__grid=world.grid_d)
    )

    assert _kinds(either, alice_reads) == ["none"]


def test_the_street_or_the_users_own_rows_is_told_apart(world, alice_reads):
    from wangge.measures.models import PersonMeasure

    served = PersonMeasure.objects.filter(
        Q(person__household__grid__community__street=world.street) | Q(doctor=world.users["alice"])
    )
    someone_elses = PersonMeasure.objects.filter(doctor=world.users["carol"])

    assert _kinds(served, alice_reads) == ["own"]
    assert _kinds(someone_elses, alice_reads) == ["none"]


def _main_pages(world) -> dict[str, str]:
    gate = Checkpoint.objects.get(name="阳光花园东门")
    return {
        "person list": reverse("person-list"),
        "search": reverse("people:search") + "?q=张",
        "household page": reverse("regions:household_detail", args=[world.households["a"].pk]),
        "measure board": reverse("measures:mine"),
        "scan list": reverse("checkpoints:scan_recent", args=[gate.pk]),
        "commander's home": reverse("front:home"),
    }


def test_the_main_pages_read_per_street_tables_only_within_the_street(
    fuller_world, client, alice_reads
):
    client.force_login(fuller_world.users["alice"])
    misses, checked = [], {}
    for page, url in _main_pages(fuller_world).items():
        with CaptureQueriesContext(connection) as log:
            assert client.get(url).status_code == 200, page
        kinds = [
            (kind, tables, q["sql"])
            for q in log
            for kind, tables in statement_kinds(q["sql"], alice_reads)
        ]
        checked[page] = len(kinds)
        misses += [(page, sorted(tables), sql) for kind, tables, sql in kinds if kind == "none"]

    assert all(checked.values()), checked
    assert misses == []
