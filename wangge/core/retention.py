"""Retention of the day-partitioned tables (core/partitions.py): the rows older than their data
class's period are removed, and a purge that removes anything leaves a tombstone audit entry (the
data class, the period and the count), so that what went, and when, can be shown without keeping
it. On PostgreSQL the days wholly past the period are dropped as partitions, and only the rest of
the cutoff's own day is deleted by row."""

from datetime import datetime

from django.db import connection
from django.db.models import Min, QuerySet
from django.utils import timezone

from wangge.core.origin import Origin
from wangge.core.partitions import Partitioned, is_partitioned, partitions_drop_before
from wangge.core.services import audit_record

PURGE_ACTION = "retention.purge"


def purge_before(
    rows: QuerySet,
    *,
    field: str,
    table: Partitioned,
    cutoff: datetime,
    data_class: str,
    label: str,
    origin: Origin,
) -> int:
    """Remove the rows of `rows` whose datetime `field` lies before `cutoff` (one exactly that old
    stays); the count of those rows (their children, removed with them, are not counted). `label`
    names the tombstone, with `{count}` for the count. Run twice, the second run removes nothing
    and writes nothing. Call it inside a transaction."""
    old = rows.filter(**{f"{field}__lt": cutoff})
    oldest = old.aggregate(oldest=Min(field))["oldest"]
    if oldest is None:
        return 0
    count = 0
    if is_partitioned(connection, table.table):
        count += partitions_drop_before(connection, table, timezone.localdate(cutoff))
    count += old.delete()[1].get(rows.model._meta.label, 0)
    period = (
        f"{timezone.localtime(oldest):%Y-%m-%d %H:%M}..{timezone.localtime(cutoff):%Y-%m-%d %H:%M}"
    )
    audit_record(
        actor=None,
        action=PURGE_ACTION,
        target_type=data_class,
        target_label=label.format(count=count),
        changes={"class": data_class, "period": period, "count": count},
        origin=origin,
    )
    return count
