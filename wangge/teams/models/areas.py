"""How the duty lists and co-building units reach their areas: a row belongs to a street and, when
it is not street-wide, to one community. Those who edit a community edit its rows; whoever works
anywhere in a street reads the street-wide rows too (the street's duty list is every community's),
and a grid worker reads their community's rows."""

from typing import Any, Self

from django.db.models import Q

from wangge.core.roles import Action
from wangge.core.scoping import ScopedQuerySet, scope_of, scoped_manager
from wangge.regions.models import Community, Grid


class SharedDownQuerySet(ScopedQuerySet):
    street_path = "street"
    community_path = "community"

    def restrict(self, user: Any, action: str = Action.VIEW) -> Self:
        scope = scope_of(user, action)
        if scope.everything:
            return self
        condition = self.area_condition(scope)
        if action == Action.VIEW and (scope.community_ids or scope.grid_ids):
            grid_communities = Grid.objects.filter(pk__in=sorted(scope.grid_ids)).values(
                "community"
            )
            reached = Community.objects.filter(
                Q(pk__in=sorted(scope.community_ids)) | Q(pk__in=grid_communities)
            )
            condition |= Q(community__in=grid_communities) | Q(
                community=None, street__in=reached.values("street")
            )
        return self.filter(condition) if condition else self.none()


def shared_down_manager() -> Any:
    return scoped_manager(SharedDownQuerySet)
