"""Who may do what in the command centre, beyond seeing a row (which `.restrict()` decides)."""

from typing import Any

from django.db.models import Q, QuerySet

from wangge.accounts.models import RoleAssignment
from wangge.core.roles import Action
from wangge.core.scoping import scope_for
from wangge.regions.models import Community, Grid, Street


def street_command(user: Any, street: Street | int) -> bool:
    """The street's command (its commanders) or an administrator."""
    street_id = street if isinstance(street, int) else street.pk
    scope = scope_for(user, Action.EDIT)
    return scope.everything or street_id in scope.street_ids


def commanded_streets(user: Any) -> list[Street]:
    scope = scope_for(user, Action.EDIT)
    if scope.everything:
        return list(Street.objects.all())
    return list(Street.objects.filter(pk__in=scope.street_ids))


def directed_communities(user: Any) -> QuerySet:
    """Communities the user directs as a whole: their own as a community worker, every community
    of their street as a commander. (Seeing a community through one of its grids is not enough.)"""
    scope = scope_for(user, Action.EDIT)
    if scope.everything:
        return Community.objects.all()
    return Community.objects.filter(
        Q(pk__in=sorted(scope.community_ids)) | Q(street__in=sorted(scope.street_ids))
    )


def may_edit_community(user: Any, community: Community) -> bool:
    return directed_communities(user).filter(pk=community.pk).exists()


def may_assign(user: Any, assignee: Any, street: Street) -> bool:
    """Whether `user` may issue a task to `assignee` (a community, grid, department or person)."""
    from wangge.accounts.models import User
    from wangge.command.models import Department

    if isinstance(assignee, Community):
        return may_edit_community(user, assignee)
    if isinstance(assignee, Grid):
        return Grid.objects.restrict(user, Action.EDIT).filter(pk=assignee.pk).exists()
    if street_command(user, street):
        return True
    if isinstance(assignee, Department):
        return False
    if isinstance(assignee, User):
        roles = RoleAssignment.objects.filter(user=assignee)
        return (
            roles.filter(community__in=directed_communities(user)).exists()
            or roles.filter(grid__in=Grid.objects.restrict(user, Action.EDIT)).exists()
        )
    return False


def issuer_side(user: Any, task: Any) -> bool:
    """The issuer, the street's command, or — for a whistle — the community that blew it."""
    if not getattr(user, "is_authenticated", False):
        return False
    if task.issuer_id == user.pk or street_command(user, task.street_id):
        return True
    return task.origin_community_id is not None and may_edit_community(user, task.origin_community)


def is_commander_of_some_street(user: Any) -> bool:
    scope = scope_for(user, Action.EDIT)
    return scope.everything or bool(scope.street_ids)
