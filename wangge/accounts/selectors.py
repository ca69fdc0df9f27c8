"""Reads about staff accounts beyond a filter: the roles a user holds, lockouts (django-axes
records), and whose audit entries a user may read (by the roles of their actors)."""

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Max, Q, QuerySet
from django.utils import timezone

from wangge.accounts.authority import scope_for
from wangge.core.models import AuditEntry
from wangge.core.roles import Role

if TYPE_CHECKING:
    from wangge.accounts.models import User


def _cool_off() -> timedelta:
    return get_cool_off() or timedelta(0)


def locked_usernames(usernames: Iterable[str]) -> set[str]:
    """Which of these accounts are locked now after too many failed sign-ins."""
    since = timezone.now() - _cool_off()
    return {
        username
        for username in AccessAttempt.objects.filter(
            username__in=list(usernames),
            failures_since_start__gte=settings.AXES_FAILURE_LIMIT,
            attempt_time__gt=since,
        ).values_list("username", flat=True)
        if username is not None
    }


def lockout_ends_at(username: str) -> datetime:
    """When a locked account may sign in again: its last counted failure plus the cool-off."""
    last = AccessAttempt.objects.filter(username=username).aggregate(last=Max("attempt_time"))
    return (last["last"] or timezone.now()) + _cool_off()


def grid_workers_of(grid_ids: Iterable[int]) -> dict[int, list[int]]:
    """Grid id → user ids of the active grid workers responsible for it: the grid's own first,
    then those of the big grid it lies in. Every capability that alerts or routes to "the grid
    worker" asks here."""
    from wangge.accounts.models import RoleAssignment
    from wangge.core.roles import Role
    from wangge.regions.models import Grid

    grid_ids = set(grid_ids)
    parents = dict(Grid.objects.filter(pk__in=grid_ids).values_list("pk", "parent_id"))
    wanted = grid_ids | {parent for parent in parents.values() if parent}
    by_grid: dict[int, list[int]] = {}
    for grid_id, user_id in (
        RoleAssignment.objects.filter(
            role=Role.GRID_WORKER, grid_id__in=wanted, user__is_active=True
        )
        .order_by("grid_id", "user_id")
        .values_list("grid_id", "user_id")
    ):
        by_grid.setdefault(grid_id, []).append(user_id)
    result = {}
    for grid_id in grid_ids:
        own = by_grid.get(grid_id, [])
        parent = parents.get(grid_id)
        inherited = by_grid.get(parent, []) if parent is not None else []
        result[grid_id] = own + [u for u in inherited if u not in own]
    return result


def users_by_id(ids: Iterable[int]) -> dict[int, Any]:
    """Id → active user, for the ids given (inactive and unknown ids are left out)."""
    from wangge.accounts.models import User

    return User.objects.filter(is_active=True).in_bulk(set(ids))


def community_workers_of(community_ids: Iterable[int]) -> dict[int, list[int]]:
    """Community id → user ids of its active community workers (only communities that have some)."""
    from wangge.accounts.models import RoleAssignment
    from wangge.core.roles import Role

    by_community: dict[int, list[int]] = {}
    for community_id, user_id in (
        RoleAssignment.objects.filter(
            role=Role.COMMUNITY_WORKER, community_id__in=set(community_ids), user__is_active=True
        )
        .order_by("community_id", "user_id")
        .values_list("community_id", "user_id")
    ):
        by_community.setdefault(community_id, []).append(user_id)
    return by_community


def held_roles(user: "User") -> set[str]:
    """The roles a user holds on any area; a superuser counts as an admin."""
    roles = set(user.role_assignments.values_list("role", flat=True))
    if user.is_superuser:
        roles.add(Role.ADMIN)
    return roles


def audit_entries_for(user: Any) -> QuerySet[AuditEntry]:
    """The audit entries `user` may read.

    An AuditEntry has no area of its own, so its scope is its actor's: a user holding `audit` on a
    street (a commander) reads the entries written by staff whose roles lie in that street — on the
    street itself, on one of its communities or on one of their grids — including their own. An
    admin (or superuser) reads every entry. Entries without an actor (failed logins of unknown
    names, system jobs) and entries by admins reach only admins. In a deployment serving several
    streets, a commander thus never reads what the staff of another street did.
    """
    scope = scope_for(user, "audit")
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
    from wangge.accounts.models import RoleAssignment

    actors = RoleAssignment.objects.filter(areas).values("user")
    return AuditEntry.objects.filter(actor__in=actors)
