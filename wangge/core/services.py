"""Writes shared by every app: the audit log and the staff alert inbox."""

from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from wangge.core.models import Alert, AuditEntry
from wangge.core.origin import Origin


def audit_record(
    *,
    actor: Any,
    action: str,
    target: models.Model | None = None,
    target_type: str = "",
    target_label: str = "",
    changes: dict | None = None,
    reason: str = "",
    origin: Origin = Origin.SYSTEM,
    actor_label: str = "",
) -> AuditEntry:
    """Write one audit entry. Runs inside the caller's transaction, so it lands or fails with the
    change. `actor_label` names an actor who is not a staff user (a resident: 居民 138****1111)."""
    if target is not None:
        target_type = target_type or target._meta.label_lower
        target_label = target_label or str(target)[:200]
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        actor_label=actor_label or getattr(actor, "username", "") or "system",
        ip=origin.ip,
        user_agent=origin.agent,
        action=action,
        target_type=target_type,
        target_id=str(target.pk) if target is not None else "",
        target_label=target_label[:200],
        reason=reason[:300],
        changes=changes or {},
    )


def field_changes(before: dict, after: dict) -> dict:
    """{"field": [old, new]} for each field whose value differs."""
    return {
        key: [before.get(key), after.get(key)]
        for key in sorted(set(before) | set(after))
        if before.get(key) != after.get(key)
    }


@transaction.atomic
def post_alert(recipients: Iterable[Any], kind: str, text: str, link: str = "") -> list[Alert]:
    """Put one alert in each recipient's inbox (the bell). Later capabilities fan out from here."""
    unique = {user.pk: user for user in recipients if user is not None}
    return Alert.objects.bulk_create(
        [Alert(recipient=user, kind=kind, text=text[:500], link=link) for user in unique.values()]
    )


def alert_mark_read(*, user: Any, alert_ids: Iterable[int] | None = None) -> int:
    alerts = Alert.objects.filter(recipient=user, read_at__isnull=True)
    if alert_ids is not None:
        alerts = alerts.filter(pk__in=list(alert_ids))
    return alerts.update(read_at=timezone.now())


@transaction.atomic
def alert_purge_read(*, older_than: timedelta) -> int:
    """Delete the alerts read more than `older_than` ago; unread ones stay, however old."""
    deleted, _ = Alert.objects.filter(read_at__lt=timezone.now() - older_than).delete()
    if deleted:
        audit_record(
            actor=None,
            action=AuditEntry.Action.DELETE,
            target_type=Alert._meta.label_lower,
            target_label=f"已读提醒 {deleted} 条 / {deleted} read alerts",
            changes={"deleted": deleted, "read_before_days": older_than.days},
        )
    return deleted
