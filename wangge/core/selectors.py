"""Reads over the audit log and the alert inbox."""

from datetime import datetime, time, timedelta
from typing import Any

from django.apps import apps
from django.db.models import Q, QuerySet
from django.utils import timezone

from wangge.core.models import AuditEntry
from wangge.core.scoping import scope_of


def audit_entries_for(user: Any) -> QuerySet[AuditEntry]:
    """The audit entries `user` may read.

    An AuditEntry has no area of its own, so its scope is its actor's: a user holding `audit` on a
    street (a commander) reads the entries written by staff whose roles lie in that street — on the
    street itself, on one of its communities or on one of their grids — including their own. An
    admin (or superuser) reads every entry. Entries without an actor (failed logins of unknown
    names, system jobs) and entries by admins reach only admins. In a deployment serving several
    streets, a commander thus never reads what the staff of another street did.
    """
    scope = scope_of(user, "audit")
    if scope.everything:
        return AuditEntry.objects.all()
    areas = Q()
    if scope.street_ids:
        streets = sorted(scope.street_ids)
        areas |= (
            Q(street__in=streets)
            | Q(community__street__in=streets)
            | Q(grid__community__street__in=streets)
        )
    if scope.community_ids:
        communities = sorted(scope.community_ids)
        areas |= Q(community__in=communities) | Q(grid__community__in=communities)
    if scope.grid_ids:
        areas |= Q(grid__in=sorted(scope.grid_ids))
    if not areas:
        return AuditEntry.objects.none()
    role_assignment = apps.get_model("accounts", "RoleAssignment")
    actors = role_assignment.objects.filter(areas).values("user")
    return AuditEntry.objects.filter(actor__in=actors)


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
