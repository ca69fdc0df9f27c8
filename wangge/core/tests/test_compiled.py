"""A read compiled once: the same rows as the ORM query it was built from, for every value bound,
with the ORM's conversions; an input the SQL does not carry fails at once."""

from datetime import date, datetime, timedelta

import pytest
from django.db.models import QuerySet
from django.utils import timezone

from wangge.core.compiled import CompiledRead
from wangge.core.models import AuditEntry


def _entries(action: str, after: datetime, on: date, limit: int) -> QuerySet:
    return (
        AuditEntry.objects.filter(action=action, at__gt=after, at__date__gte=on, pk__lt=limit)
        .order_by("pk")
        .values_list("pk", "action", "at")[:1]
    )


def test_each_call_binds_its_own_values(db):
    now = timezone.now()
    first = None
    for target, action in ((1, "create"), (2, "update"), (3, "update")):
        entry = AuditEntry.objects.create(
            action=action, target_type="x", target_id=target, target_label=""
        )
        first = first or entry.pk
    read = CompiledRead(_entries, action=str, after=datetime, on=date, limit=int)
    cases = [
        ("update", now - timedelta(hours=1), now.date() - timedelta(days=1), first + 9),
        ("create", now - timedelta(hours=1), now.date() - timedelta(days=1), first + 9),
        ("update", now - timedelta(hours=1), now.date() - timedelta(days=1), first + 1),
        ("update", now + timedelta(hours=1), now.date(), first + 9),
        ("delete", now - timedelta(hours=1), now.date(), first + 9),
    ]
    for action, after, on, limit in cases:
        expected = _entries(action, after, on, limit).first()
        row = read.first(action=action, after=after, on=on, limit=limit)
        assert (tuple(row.values()) if row else None) == expected
    row = read.first(
        action="update", after=now - timedelta(hours=1), on=now.date(), limit=first + 9
    )
    assert isinstance(row["at"], datetime)


def test_an_input_missing_from_the_sql_is_refused(db):
    def ignores_limit(action: str, limit: int) -> QuerySet:
        return AuditEntry.objects.filter(action=action).values_list("pk")[:1]

    with pytest.raises(ValueError, match="limit"):
        CompiledRead(ignores_limit, action=str, limit=int).first(action="x", limit=1)
