"""Reads over the audit log: its filter and one target's trail (who may read which entries is
accounts.selectors.audit_entries_for, since it follows the actors' roles)."""

from datetime import datetime, time, timedelta
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from wangge.core.models import AuditEntry


def audit_filter(
    entries: QuerySet[AuditEntry],
    *,
    actor: str = "",
    action: str = "",
    since: Any = None,
    until: Any = None,
    target: str = "",
) -> QuerySet[AuditEntry]:
    """Narrow entries by actor name, action, local date range (inclusive) and target.

    `target` matches the target's label, or its type and id written as "people.person:12".
    """
    if actor:
        entries = entries.filter(actor_label__icontains=actor)
    if action:
        entries = entries.filter(action=action)
    zone = timezone.get_current_timezone()
    if since:
        entries = entries.filter(at__gte=datetime.combine(since, time.min, tzinfo=zone))
    if until:
        end = datetime.combine(until + timedelta(days=1), time.min, tzinfo=zone)
        entries = entries.filter(at__lt=end)
    if target:
        kind, _, target_id = target.partition(":")
        if target_id and "." in kind:
            entries = entries.filter(target_type=kind.lower(), target_id=target_id)
        else:
            entries = entries.filter(target_label__icontains=target)
    return entries


def person_audit_trail(person: Any, limit: int = 50) -> QuerySet[AuditEntry]:
    """What was done to one person, newest first (callers check `audit` on the person)."""
    return AuditEntry.objects.filter(
        target_type=person._meta.label_lower, target_id=str(person.pk)
    )[:limit]
