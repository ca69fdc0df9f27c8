"""Visits after the public page: deleted after their retention period with a tombstone, and read
through the API only within the caller's area, phones masked."""

import json
from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from wangge.core.models import AuditEntry
from wangge.core.partitions import partition_name, partitions_ensure
from wangge.venues.models import Visit
from wangge.venues.partitions import VISITS
from wangge.venues.services.retention import visits_purge
from wangge.venues.services.visits import VisitInput, visit_record
from wangge.venues.tests.visiting import NOON, code_of, venue

pytestmark = pytest.mark.django_db


def visit_at(place, at, phone="13800138000"):
    return visit_record(data=VisitInput(token=code_of(place), phone=phone), now=at).visit


def test_visits_older_than_21_days_are_purged_with_a_tombstone(world):
    place = venue(world, "老街面馆")
    kept = visit_at(place, NOON - timedelta(days=21))  # exactly 21 days old: kept
    gone = visit_at(place, NOON - timedelta(days=21, seconds=1), phone="13800000002")
    visit_at(place, NOON - timedelta(days=30), phone="13800000003")

    with time_machine.travel(NOON, tick=False):
        deleted = visits_purge()
        again = visits_purge()

    assert deleted == 2 and again == 0
    assert list(Visit.objects.values_list("pk", flat=True)) == [kept.pk]
    assert not Visit.objects.filter(pk=gone.pk).exists()
    tombstone = AuditEntry.objects.get(action="retention.purge")
    assert tombstone.actor is None and tombstone.target_type == "venues.visit"
    assert tombstone.changes == {
        "class": "venues.visit",
        "period": "2026-11-07 12:00..2026-11-16 12:00",
        "count": 2,
    }


def test_the_command_runs_the_purge_now_with_the_configured_period(world, settings):
    settings.WANGGE = {**settings.WANGGE, "RETENTION_VISITS_DAYS": 7}
    place = venue(world, "老街面馆")
    visit_at(place, NOON - timedelta(days=8))
    out = StringIO()

    with time_machine.travel(NOON, tick=False):
        call_command("purge_visits", stdout=out)

    assert json.loads(out.getvalue()) == {"deleted": 1, "retention_days": 7}


def test_the_api_lists_the_visits_of_the_callers_area_masked_and_filtered(world, api_client_for):
    mine = venue(world, "第一网格面馆")
    other = venue(world, "西社区面馆", grid=world.grid_d)
    visit_at(mine, NOON)
    visit_at(other, NOON, phone="13900001111")
    visit_at(mine, NOON - timedelta(days=1), phone="13700001111")
    gavin = api_client_for(world.users["gavin"])
    alice = api_client_for(world.users["alice"])

    listed = gavin.get("/api/venues/visits/").json()
    today = alice.get("/api/venues/visits/", {"date": "2026-12-07"}).json()
    of_venue = alice.get("/api/venues/visits/", {"venue": other.pk}).json()
    bad = alice.get("/api/venues/visits/", {"date": "07/12/2026"})

    assert [row["venue_name"] for row in listed["results"]] == ["第一网格面馆", "第一网格面馆"]
    assert listed["results"][0]["phone"] == "138****8000"
    assert "13800138000" not in json.dumps(listed)
    assert today["count"] == 2 and of_venue["count"] == 1
    assert bad.status_code == 400 and "YYYY-MM-DD" in bad.json()["date"][0]
    hidden = Visit.objects.get(venue=other)
    assert gavin.get(f"/api/venues/visits/{hidden.pk}/").status_code == 404
    assert gavin.post("/api/venues/visits/", {}).status_code == 405


@pytest.mark.skipif(connection.vendor != "postgresql", reason="partitions are PostgreSQL's")
def test_on_postgresql_the_purge_drops_the_partitions_of_whole_past_days(world):
    # given the partitions of the days around a month ago, and visits in them
    place = venue(world, "老街面馆")
    month_ago = timezone.localdate(NOON) - timedelta(days=30)
    partitions_ensure(connection, VISITS, month_ago)
    visit_at(place, NOON - timedelta(days=30))
    visit_at(place, NOON - timedelta(days=21, seconds=1), phone="13800000002")  # the cutoff's day
    kept = visit_at(place, NOON - timedelta(days=21), phone="13800000003")

    with time_machine.travel(NOON, tick=False):
        removed = visits_purge()

    # then the old day's partition is gone, the cutoff's day lost only its older row
    assert removed == 2
    assert list(Visit.objects.values_list("pk", flat=True)) == [kept.pk]
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s)", [partition_name(VISITS.table, month_ago)])
        assert cursor.fetchone() == (None,)
