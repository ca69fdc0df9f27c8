"""Who may task whom in the command centre, in terms of the areas held (accounts.authority)."""

from typing import Any

from wangge.accounts.authority import areas_held, holds
from wangge.accounts.models import RoleAssignment, User
from wangge.core.roles import Action
from wangge.regions.models import Community, Grid, Street


def may_assign(user: Any, assignee: Any, street: Street) -> bool:
    """Whether `user` may issue a task to `assignee` (a community, grid, department or person)."""
    from wangge.command.models import Department

    if isinstance(assignee, Community | Grid):
        return holds(user, Action.EDIT, assignee)
    if holds(user, Action.EDIT, street):
        return True
    if isinstance(assignee, Department):
        return False
    if isinstance(assignee, User):
        roles = RoleAssignment.objects.filter(user=assignee)
        return (
            roles.filter(community__in=areas_held(user, Action.EDIT, Community)).exists()
            or roles.filter(grid__in=areas_held(user, Action.EDIT, Grid)).exists()
        )
    return False


def issuer_side(user: Any, task: Any) -> bool:
    """The issuer, the street's command, or — for a whistle — the community that blew it."""
    if not getattr(user, "is_authenticated", False):
        return False
    if task.issuer_id == user.pk or holds(user, Action.EDIT, task.street):
        return True
    return task.origin_community_id is not None and holds(user, Action.EDIT, task.origin_community)
