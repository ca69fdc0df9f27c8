"""Reads about staff accounts beyond a filter: lockouts (django-axes records)."""

from collections.abc import Iterable
from datetime import datetime, timedelta

from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Max
from django.utils import timezone


def _cool_off() -> timedelta:
    return get_cool_off() or timedelta(0)


def locked_usernames(usernames: Iterable[str]) -> set[str]:
    """Which of these accounts are locked now after too many failed sign-ins."""
    since = timezone.now() - _cool_off()
    return set(
        AccessAttempt.objects.filter(
            username__in=list(usernames),
            failures_since_start__gte=settings.AXES_FAILURE_LIMIT,
            attempt_time__gt=since,
        ).values_list("username", flat=True)
    )


def lockout_ends_at(username: str) -> datetime:
    """When a locked account may sign in again: its last counted failure plus the cool-off."""
    last = AccessAttempt.objects.filter(username=username).aggregate(last=Max("attempt_time"))
    return (last["last"] or timezone.now()) + _cool_off()
