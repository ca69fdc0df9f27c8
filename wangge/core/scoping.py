"""The one mechanism that decides which rows a user may see or change (role × area).

Every queryset that reaches a user goes through `.restrict(user, action)`, in views, API views,
exports, imports and search alike (NetBox's pattern). A model says how it reaches the area tree by
the paths given to its manager; the user's areas arrive as a `Scope` (sets of street, community and
grid ids) from the provider installed at start-up. Which areas a user holds is decided above the
area tree and the role assignments, in `wangge.accounts.authority`, which installs the provider.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Self

from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.db.models import Q


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


ScopeProvider = Callable[[Any, str], Scope]
_provider: ScopeProvider | None = None


def provide_scopes(provider: ScopeProvider) -> None:
    """Install the function that turns (user, action) into a Scope; accounts does so at start-up."""
    global _provider
    _provider = provider


def scope_of(user: Any, action: str = "view") -> Scope:
    """The scope the installed provider gives `user` for `action`."""
    if _provider is None:
        raise ImproperlyConfigured("no scope provider: is wangge.accounts installed?")
    return _provider(user, action)


class ScopedQuerySet(models.QuerySet):
    """A queryset that knows its way up to the area tree. Set the paths with `scoped_manager()`;
    a level without a path grants nothing (a street's imports are not a grid worker's)."""

    street_path = ""
    community_path = ""
    grid_path = ""
    multi_valued = False  # paths cross a reverse relation: filter through a pk subquery

    def restrict(self, user: Any, action: str = "view") -> Self:
        scope = scope_of(user, action)
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
