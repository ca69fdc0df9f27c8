"""Who holds which action where: the one answer to both questions of authority.

Which rows may a user see or change? `Model.objects.restrict(user, action)` (core.scoping), fed by
`scope_for`, which this module installs as core's scope provider at start-up. Which areas does a
user hold an action on as a whole? `holds(user, action, area)` and `areas_held(user, action,
level)`. A role held on an area covers the areas below it (a grid its small grids); a district, or
the whole deployment (`area=None`), is held only by administrators and superusers. Doctors and
police hold no area (they see the persons assigned to them), checkpoint staff none; an inspector's
area grants only the venues' INSPECT.

So `user_can(user, "edit", street)` is true for a grid worker of that street (they may edit rows in
it), but `holds(user, "edit", street)` only for the street's command.
"""

from typing import Any

from django.db import models
from django.db.models import Q, QuerySet

from wangge.accounts.models import RoleAssignment
from wangge.core.roles import AREA_ROLES, PERSON_ROLES, ROLE_ACTIONS, Role
from wangge.core.scoping import Scope
from wangge.regions.models import Community, District, Grid, Street

Area = District | Street | Community | Grid | None
Level = type[District] | type[Street] | type[Community] | type[Grid]


def _with_small_grids(grid_ids: set[int]) -> set[int]:
    found = set(grid_ids)
    frontier = set(grid_ids)
    while frontier:
        frontier = (
            set(Grid.objects.filter(parent_id__in=frontier).values_list("pk", flat=True)) - found
        )
        found |= frontier
    return found


def scope_for(user: Any, action: str = "view") -> Scope:
    """The areas in which `user` may perform `action`; cached on the user object."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return Scope()
    cache = user.__dict__.setdefault("_wangge_scopes", {})
    if action in cache:
        return cache[action]
    scope = Scope(everything=user.is_superuser)
    if not scope.everything:
        assignments = RoleAssignment.objects.filter(user=user)
        grid_ids: set[int] = set()
        for role, street_id, community_id, grid_id in assignments.values_list(
            "role", "street_id", "community_id", "grid_id"
        ):
            if action not in ROLE_ACTIONS.get(role, ()):
                continue
            if role == Role.ADMIN:
                scope.everything = True
            elif role in PERSON_ROLES:
                scope.assigned_persons = True
            elif role in AREA_ROLES or role == Role.INSPECTOR:
                if grid_id:
                    grid_ids.add(grid_id)
                elif community_id:
                    scope.community_ids.add(community_id)
                elif street_id:
                    scope.street_ids.add(street_id)
        scope.grid_ids = _with_small_grids(grid_ids) if grid_ids else set()
    cache[action] = scope
    return scope


def user_can(user: Any, action: str, obj: models.Model | None = None) -> bool:
    """Whether `user` may perform `action` on some row (obj=None) or on this one row."""
    if obj is None:
        return not scope_for(user, action).empty
    rows: Any = type(obj)._default_manager  # a scoped manager: the stubs know only Manager[Model]
    return rows.restrict(user, action).filter(pk=obj.pk).exists()


def holds(user: Any, action: str, area: Area) -> bool:
    """Whether `user` holds `action` on the whole of `area` (None: the whole deployment)."""
    scope = scope_for(user, action)
    if scope.everything:
        return True
    if area is None or isinstance(area, District):
        return False
    if isinstance(area, Street):
        return area.pk in scope.street_ids
    if isinstance(area, Community):
        return area.pk in scope.community_ids or area.street_id in scope.street_ids
    return (
        area.pk in scope.grid_ids
        or area.community_id in scope.community_ids
        or area.community.street_id in scope.street_ids
    )


def areas_held(user: Any, action: str, level: Level) -> QuerySet:
    """The areas of one level (District, Street, Community or Grid) that `user` holds `action` on."""
    scope = scope_for(user, action)
    manager = level._default_manager
    if scope.everything:
        return manager.all()
    streets, communities = sorted(scope.street_ids), sorted(scope.community_ids)
    if level is Street:
        return manager.filter(pk__in=streets)
    if level is Community:
        return manager.filter(Q(pk__in=communities) | Q(street__in=streets))
    if level is Grid:
        return manager.filter(
            Q(pk__in=sorted(scope.grid_ids))
            | Q(community__in=communities)
            | Q(community__street__in=streets)
        )
    return manager.none()
