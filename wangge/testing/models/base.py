"""Scoping for rows that belong to a street or a community but to no grid."""

from django.db.models import Q

from wangge.core.scoping import Scope, ScopedQuerySet


class AreaLevelQuerySet(ScopedQuerySet):
    """Like ScopedQuerySet, but a level without a path grants nothing: grid workers do not see the
    rows of their street's imports or key groups."""

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
