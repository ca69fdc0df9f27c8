"""Scans are kept for RETENTION_SCANS_DAYS days (default 30), then removed with their reasons and
door openings; a purge that removes anything leaves a tombstone audit entry (data class, period,
count), as the venue visits' purge does.

On PostgreSQL the scan table is partitioned by day (`core.partitions`): the days wholly past the
period are dropped as partitions, and only the rest of the cutoff's own day is deleted by row."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Min
from django.utils import timezone

from wangge.checkpoints.models import Scan
from wangge.checkpoints.partitions import SCANS
from wangge.core.origin import Origin
from wangge.core.partitions import is_partitioned, partitions_drop_before
from wangge.core.services import audit_record

PURGE_ACTION = "retention.purge"
DATA_CLASS = "checkpoints.scan"


@transaction.atomic
def scans_purge(*, now: datetime | None = None, origin: Origin = Origin.SYSTEM) -> int:
    """Remove the scans older than the retention period (one exactly that old stays); the count.
    Run twice, the second run removes nothing and writes nothing."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=int(settings.WANGGE["RETENTION_SCANS_DAYS"]))
    old = Scan.objects.filter(scanned_at__lt=cutoff)
    oldest = old.aggregate(oldest=Min("scanned_at"))["oldest"]
    if oldest is None:
        return 0
    count = 0
    if is_partitioned(connection, SCANS.table):
        count += partitions_drop_before(connection, SCANS, timezone.localdate(cutoff))
    count += old.delete()[1].get(Scan._meta.label, 0)
    period = (
        f"{timezone.localtime(oldest):%Y-%m-%d %H:%M}..{timezone.localtime(cutoff):%Y-%m-%d %H:%M}"
    )
    audit_record(
        actor=None,
        action=PURGE_ACTION,
        target_type=DATA_CLASS,
        target_label=f"扫码记录 {count} 条已按保存期限删除 / {count} scans removed at the end of "
        "their retention period",
        changes={"class": DATA_CLASS, "period": period, "count": count},
        origin=origin,
    )
    return count
