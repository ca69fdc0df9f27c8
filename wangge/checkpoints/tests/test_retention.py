"""Scans past RETENTION_SCANS_DAYS are removed with their reasons, a tombstone counting them; on
PostgreSQL the partitions of whole past days are dropped."""

from datetime import timedelta

import pytest
import time_machine
from django.db import connection

from wangge.checkpoints.models import Scan, ScanReason
from wangge.checkpoints.partitions import SCANS
from wangge.checkpoints.services.retention import scans_purge
from wangge.core.models import AuditEntry
from wangge.core.partitions import partition_name, partitions_ensure

from .conftest import DAY, at, scan

pytestmark = pytest.mark.usefixtures("on_duty")


def test_scans_past_their_retention_go_with_their_reasons_and_a_tombstone(world, gate, settings):
    # given a feverish scan past the retention before DAY, with its day's partition on PostgreSQL
    keep = int(settings.WANGGE["RETENTION_SCANS_DAYS"])
    old_day = DAY - timedelta(days=keep + 2)
    partitions_ensure(connection, SCANS, old_day)
    with time_machine.travel(at(DAY, 9), tick=False):
        old = scan(world, gate, phone_tail="1111", temperature="38.5", scanned_at=at(old_day, 9))
        kept = scan(
            world, gate, phone_tail="1111", scanned_at=at(DAY - timedelta(days=keep - 2), 9)
        )
    assert ScanReason.objects.filter(scan=old.scan).exists()

    # when the nightly purge runs on DAY, twice
    with time_machine.travel(at(DAY, 3, 45), tick=False):
        removed, again = scans_purge(), scans_purge()

    # then
    assert (removed, again) == (1, 0)
    assert list(Scan.objects.values_list("pk", flat=True)) == [kept.scan.pk]
    assert not ScanReason.objects.filter(scan_id=old.scan.pk).exists()
    assert AuditEntry.objects.get(action="retention.purge").changes["count"] == 1
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT to_regclass(%s)", [partition_name(SCANS.table, old_day)])
            assert cursor.fetchone() == (None,)
