"""Reads for the home pages of the roles below the commander: the street overview (tracers), a
community's or a grid worker's own grids, and the buildings of those grids. Every count comes
from querysets passed through `.restrict(user, "view")` (see `people.area_selectors`)."""

from django.db.models import Q, QuerySet

from wangge.accounts.models import User
from wangge.people.area_selectors import buildings_with_counts, community_counts
from wangge.regions.models import Building, Community, Grid
from wangge.regions.selectors import annotate_counts


def street_overview(user: User) -> list[Community]:
    """Every community the user may see, with its street and its scoped counts."""
    communities = Community.objects.restrict(user)
    rows = list(communities.select_related("street"))
    return annotate_counts(rows, community_counts(user, communities))


def own_grids(user: User, role: str) -> QuerySet[Grid]:
    """The grids (and their small grids) on which the user holds `role`, as far as scope allows."""
    assignments = user.role_assignments.filter(role=role)
    community_ids = assignments.exclude(community=None).values("community")
    grid_ids = assignments.exclude(grid=None).values("grid")
    return Grid.objects.restrict(user).filter(
        Q(community__in=community_ids) | Q(pk__in=grid_ids) | Q(parent__in=grid_ids)
    )


def grid_buildings(user: User, grids: QuerySet[Grid]) -> list[Building]:
    """The buildings of `grids` the user may see, with counts."""
    return buildings_with_counts(user, Building.objects.restrict(user).filter(grid__in=grids))
