"""Who may decide what beyond the scoping table: the street's command and the community.

Scoping (core.scoping) says which rows a user may see and edit; some decisions belong to a level:
control zones, area risk colours and the per-room notice-board plan are the street command's
(a role held on the street itself, with `edit`: commanders and admins); a household's manual colour
(a household sealed by the community) is the community's or the street's, not a single grid's.
"""

from typing import Any

from wangge.core.roles import Action
from wangge.core.scoping import scope_for


def commands_street(user: Any, street_id: int) -> bool:
    """`user` holds `edit` on the street itself (a commander of it, or an admin)."""
    scope = scope_for(user, Action.EDIT)
    return scope.everything or street_id in scope.street_ids


def decides_for_community(user: Any, community_id: int, street_id: int) -> bool:
    """`user` holds `edit` on the community or on its street."""
    scope = scope_for(user, Action.EDIT)
    return scope.everything or community_id in scope.community_ids or street_id in scope.street_ids


def commands_any_street(user: Any) -> bool:
    scope = scope_for(user, Action.EDIT)
    return scope.everything or bool(scope.street_ids)
