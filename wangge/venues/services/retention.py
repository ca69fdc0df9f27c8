"""Visits are kept for tracing for RETENTION_VISITS_DAYS days (default 21), then deleted. Each purge
that deletes anything leaves a tombstone audit entry: the data class, the period and the count, so
that what was deleted, and when, can be shown without keeping it.

On PostgreSQL the visit table is partitioned by day (`core.partitions`): the days wholly past the
period are dropped as partitions, and only the rest of the cutoff's own day is deleted by row."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Min
from django.utils import timezone

from wangge.core.origin import Origin
from wangge.core.partitions import is_partitioned, partitions_drop_before
from wangge.core.services import audit_record
from wangge.notify.models import RateBucket
from wangge.venues.models import Visit
from wangge.venues.partitions import VISITS
from wangge.venues.services.visits import ADDRESS_BUCKET

PURGE_ACTION = "retention.purge"
DATA_CLASS = "venues.visit"


@transaction.atomic
def visits_purge(*, now: datetime | None = None, origin: Origin = Origin.SYSTEM) -> int:
    """Delete the visits older than the retention period (one exactly that old stays); the count.
    Run twice, the second run deletes nothing and writes nothing."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=int(settings.WANGGE["RETENTION_VISITS_DAYS"]))
    old = Visit.objects.filter(at__lt=cutoff)
    oldest = old.aggregate(oldest=Min("at"))["oldest"]
    # The address buckets of the rate limit, idle for an hour, are full again: nothing to keep.
    RateBucket.objects.filter(
        key__startswith=ADDRESS_BUCKET, updated_at__lt=now - timedelta(hours=1)
    ).delete()
    if oldest is None:
        return 0
    count = 0
    if is_partitioned(connection, VISITS.table):
        count += partitions_drop_before(connection, VISITS, timezone.localdate(cutoff))
    count += old.delete()[0]
    period = (
        f"{timezone.localtime(oldest):%Y-%m-%d %H:%M}..{timezone.localtime(cutoff):%Y-%m-%d %H:%M}"
    )
    audit_record(
        actor=None,
        action=PURGE_ACTION,
        target_type=DATA_CLASS,
        target_label=f"到访记录 {count} 条已按保存期限删除 / {count} visits deleted at the end of "
        "their retention period",
        changes={"class": DATA_CLASS, "period": period, "count": count},
        origin=origin,
    )
    return count
