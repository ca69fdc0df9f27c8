"""Who sweeps what in a campaign: the staff who may be made sweepers, and the sweepers a user sees."""

from typing import Any

from django.db.models import Q, QuerySet

from wangge.accounts.authority import areas_held
from wangge.accounts.models import RoleAssignment, User
from wangge.core.roles import Action
from wangge.people.models import Assignment
from wangge.regions.models import Grid
from wangge.sweeps.models import Campaign
from wangge.sweeps.services.campaigns import campaign_grid_ids
from wangge.teams.models import Member


def sweeper_candidates(campaign: Campaign) -> QuerySet[User]:
    """Active accounts that may sweep: staff holding a role on the campaign's street, or on one of
    its communities or grids, and the confirmed team members of the street who have an account (a
    volunteer's account needs no role: the assignment alone lets it sweep)."""
    grids = campaign_grid_ids(campaign)
    communities = Grid.objects.filter(pk__in=grids).values("community")
    roles = RoleAssignment.objects.filter(
        Q(street=campaign.street_id) | Q(community__in=communities) | Q(grid__in=grids)
    )
    volunteers = Member.objects.confirmed().filter(
        team__street=campaign.street_id, user__isnull=False
    )
    return User.objects.filter(
        Q(pk__in=roles.values("user")) | Q(pk__in=volunteers.values("user")), is_active=True
    ).order_by("full_name", "username")


def grids_assignable(user: Any, campaign: Campaign) -> QuerySet[Grid]:
    """The campaign's grids on which `user` may put sweepers."""
    return (
        areas_held(user, Action.EDIT, Grid)
        .filter(pk__in=campaign_grid_ids(campaign))
        .select_related("community")
        .order_by("community__name", "name")
    )


def sweepers_seen(user: Any, campaign: Campaign) -> QuerySet[Assignment]:
    """The campaign's sweepers on the grids and buildings `user` sees."""
    seen = areas_held(user, Action.VIEW, Grid).filter(pk__in=campaign_grid_ids(campaign))
    return (
        Assignment.objects.active()
        .filter(source=Assignment.Source.SWEEP, source_id=campaign.pk)
        .filter(Q(grid__in=seen) | Q(building__grid__in=seen))
        .select_related("holder_user", "grid__community", "building__compound")
        .order_by("holder_user__full_name", "grid", "building")
    )
