"""The one mechanism that decides which rows a user may see or change (role × area).

Every queryset that reaches a user goes through `.restrict(user, action)`, in views, API views,
exports, imports and search alike (NetBox's pattern). A model says how it reaches the area tree by
the paths given to its manager; the user's role assignments become sets of street, community and
grid ids (a grid includes its small grids), computed once per user object.
"""

from dataclasses import dataclass, field
from typing import Any, Self

from django.apps import apps
from django.db import models
from django.db.models import Q

from wangge.core.roles import AREA_ROLES, PERSON_ROLES, ROLE_ACTIONS, Role


@dataclass
class Scope:
    everything: bool = False
    street_ids: set[int] = field(default_factory=set)
    community_ids: set[int] = field(default_factory=set)
    grid_ids: set[int] = field(default_factory=set)
    assigned_persons: bool = False  # doctor / police: persons assigned to this user

    @property
    def empty(self) -> bool:
        return not (
            self.everything
            or self.street_ids
            or self.community_ids
            or self.grid_ids
            or self.assigned_persons
        )


def _with_small_grids(grid_ids: set[int]) -> set[int]:
    grid_model = apps.get_model("regions", "Grid")
    found = set(grid_ids)
    frontier = set(grid_ids)
    while frontier:
        frontier = (
            set(grid_model.objects.filter(parent_id__in=frontier).values_list("pk", flat=True))
            - found
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
        assignments = apps.get_model("accounts", "RoleAssignment").objects.filter(user=user)
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
            elif role in AREA_ROLES:
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
    """Whether `user` may perform `action` at all (obj=None) or on this one object."""
    if obj is None:
        return not scope_for(user, action).empty
    return type(obj)._default_manager.restrict(user, action).filter(pk=obj.pk).exists()


class ScopedQuerySet(models.QuerySet):
    """A queryset that knows its way up to the area tree. Set the paths with `scoped_manager()`;
    a level without a path grants nothing (a street's imports are not a grid worker's)."""

    street_path = ""
    community_path = ""
    grid_path = ""
    multi_valued = False  # paths cross a reverse relation: filter through a pk subquery

    def restrict(self, user: Any, action: str = "view") -> Self:
        scope = scope_for(user, action)
        if scope.everything:
            return self
        condition = self.area_condition(scope) | self.extra_condition(user, scope)
        if not condition:
            return self.none()
        if self.multi_valued:
            return self.filter(pk__in=self.model._default_manager.filter(condition).values("pk"))
        return self.filter(condition)

    def area_condition(self, scope: Scope) -> Q:
        condition = Q()
        for path, ids in (
            (self.street_path, scope.street_ids),
            (self.community_path, scope.community_ids),
            (self.grid_path, scope.grid_ids),
        ):
            if path and ids:
                condition |= Q(**{f"{path}__in": sorted(ids)})
        return condition

    def extra_condition(self, user: Any, scope: Scope) -> Q:
        """Rows visible through something other than an area (e.g. persons assigned to a doctor)."""
        return Q()


def area_match(
    scope: Scope,
    *,
    streets: tuple[str, ...] = (),
    communities: tuple[str, ...] = (),
    grids: tuple[str, ...] = (),
) -> Q:
    """Rows that reach one of the scope's areas by any of the given paths (for querysets whose
    rows reach an area in more than one way)."""
    condition = Q()
    for paths, ids in (
        (streets, scope.street_ids),
        (communities, scope.community_ids),
        (grids, scope.grid_ids),
    ):
        for path in paths if ids else ():
            condition |= Q(**{f"{path}__in": sorted(ids)})
    return condition


def scoped_manager(
    queryset_class: type[ScopedQuerySet] = ScopedQuerySet, /, **paths: Any
) -> models.Manager:
    """A manager whose querysets restrict by the given paths (street_path, community_path, grid_path)."""
    bound = type(queryset_class.__name__, (queryset_class,), paths)
    return models.Manager.from_queryset(bound)()
