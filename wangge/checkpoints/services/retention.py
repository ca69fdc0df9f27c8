"""Scans are kept for RETENTION_SCANS_DAYS days (default 30), then removed with their reasons and
door openings, with a tombstone, as core/retention.py does for every day-partitioned table."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from wangge.checkpoints.models import Scan
from wangge.checkpoints.partitions import SCANS
from wangge.core.origin import Origin
from wangge.core.retention import purge_before

DATA_CLASS = "checkpoints.scan"


@transaction.atomic
def scans_purge(*, now: datetime | None = None, origin: Origin = Origin.SYSTEM) -> int:
    """Remove the scans older than the retention period (one exactly that old stays); the count.
    Run twice, the second run removes nothing and writes nothing."""
    now = now or timezone.now()
    return purge_before(
        Scan.objects.all(),
        field="scanned_at",
        table=SCANS,
        cutoff=now - timedelta(days=int(settings.WANGGE["RETENTION_SCANS_DAYS"])),
        data_class=DATA_CLASS,
        label="扫码记录 {count} 条已按保存期限删除 / {count} scans removed at the end of their "
        "retention period",
        origin=origin,
    )
