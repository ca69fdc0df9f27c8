"""Snapshots are written once: the report_daily command (its JSON line and exit codes), a day
printed from its snapshot after the register changed, the audited rebuild, the nightly catch-up."""

import json
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.utils import timezone

from conftest import drill_home_isolation
from wangge.core.models import AuditEntry
from wangge.measures.services.assign import measure_assign
from wangge.regions.models import Street
from wangge.reports.figures import compute
from wangge.reports.models import AreaFigures, Snapshot
from wangge.reports.services import CATCH_UP_DAYS, report_catch_up


def report_daily(*args: str) -> dict:
    out = StringIO()
    call_command("report_daily", *args, stdout=out)
    return json.loads(out.getvalue().strip().splitlines()[-1])


def isolate(world, person: str, start: date) -> None:
    measure_assign(
        by=world.users["alice"],
        persons=[world.persons[person]],
        measure_type=drill_home_isolation(),
        start=start,
        reason="密接",
    )


def test_the_command_prints_the_streets_line_and_a_snapshot_of_every_area(world):
    # given
    today = timezone.localdate()
    isolate(world, "li_si", today)
    # when
    line = report_daily("--date", today.isoformat())
    # then: the street, its two communities and four grids
    assert line == {
        "date": today.isoformat(),
        "scopes": 7,
        "persons_under_measure": 1,
        "checkins_missed": 0,
        "untested": 0,
    }
    assert AreaFigures.objects.filter(day=today).count() == 7


def test_a_snapshotted_day_is_printed_unchanged_after_the_register_changes(world):
    # given
    yesterday = timezone.localdate() - timedelta(days=1)
    first = report_daily("--date", yesterday.isoformat(), "--street", "江南街道")
    stored = list(AreaFigures.objects.values_list("area_id", "figures"))
    # when: Wang Wu is found to have been isolated since two days ago
    isolate(world, "wang_wu", yesterday - timedelta(days=1))
    again = report_daily("--date", yesterday.isoformat())
    # then
    assert again == first and first["persons_under_measure"] == 0
    assert list(AreaFigures.objects.values_list("area_id", "figures")) == stored
    assert not AuditEntry.objects.filter(action__startswith="report_").exists()
    # when: rebuilt
    rebuilt = report_daily("--date", yesterday.isoformat(), "--rebuild")
    # then
    assert rebuilt["persons_under_measure"] == 1
    assert Snapshot.objects.count() == 1
    assert AuditEntry.objects.filter(action="report_rebuild").count() == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--date", "2026-02-30"], "YYYY-MM-DD"),
        (["--date", "2026-12-01", "--street", "北街道"], "北街道"),
    ],
)
def test_a_bad_date_or_an_unknown_street_exits_2(world, args, message):
    with pytest.raises(CommandError, match=message) as raised:
        call_command("report_daily", *args, stdout=StringIO())
    assert raised.value.returncode == 2
    assert not Snapshot.objects.exists()


def test_street_is_required_when_there_are_several(world):
    Street.objects.create(name="北街道", code="330783002")
    with pytest.raises(CommandError, match="--street") as raised:
        call_command("report_daily", "--date", "2026-12-01", stdout=StringIO())
    assert raised.value.returncode == 2
    assert report_daily("--date", "2026-12-01", "--street", "北街道")["scopes"] == 1


def test_the_nightly_run_builds_the_missing_days_of_the_last_fortnight(world):
    # given: yesterday already built, the day before lost
    today = timezone.localdate()
    report_daily("--date", (today - timedelta(days=1)).isoformat())
    # when
    first = report_catch_up(today=today)
    Snapshot.objects.filter(day=today - timedelta(days=2)).delete()
    second = report_catch_up(today=today)
    # then
    assert first == {"built": CATCH_UP_DAYS - 1} and second == {"built": 1}
    days = set(Snapshot.objects.values_list("day", flat=True))
    assert days == {today - timedelta(days=back) for back in range(1, CATCH_UP_DAYS + 1)}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's JIT")
def test_a_build_compiles_no_query(world):
    # when: in the build's transaction (SET LOCAL: it ends with it)
    with transaction.atomic():
        compute(world.street, timezone.localdate())
        with connection.cursor() as cursor:
            cursor.execute("SHOW jit")
            # then
            assert cursor.fetchone()[0] == "off"
