"""Visits are kept for tracing for RETENTION_VISITS_DAYS days (default 21), then deleted, with a
tombstone, as core/retention.py does for every day-partitioned table."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from wangge.core.origin import Origin
from wangge.core.retention import purge_before
from wangge.notify.models import RateBucket
from wangge.venues.models import Visit
from wangge.venues.partitions import VISITS
from wangge.venues.services.visits import ADDRESS_BUCKET

DATA_CLASS = "venues.visit"


@transaction.atomic
def visits_purge(*, now: datetime | None = None, origin: Origin = Origin.SYSTEM) -> int:
    """Delete the visits older than the retention period (one exactly that old stays); the count.
    Run twice, the second run deletes nothing and writes nothing."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=int(settings.WANGGE["RETENTION_VISITS_DAYS"]))
    # The address buckets of the rate limit, idle for an hour, are full again: nothing to keep.
    RateBucket.objects.filter(
        key__startswith=ADDRESS_BUCKET, updated_at__lt=now - timedelta(hours=1)
    ).delete()
    return purge_before(
        Visit.objects.all(),
        field="at",
        table=VISITS,
        cutoff=cutoff,
        data_class=DATA_CLASS,
        label="到访记录 {count} 条已按保存期限删除 / {count} visits deleted at the end of their "
        "retention period",
        origin=origin,
    )
