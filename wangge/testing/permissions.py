"""Whether a user holds an action over a whole area, not just over something inside it.

`user_can(user, "edit", street)` is true for a grid worker of that street (they may edit rows in
it); organising a round for the whole street needs a street-level role. A role on an area covers
the areas below it. A district is held only by administrators (there are no district roles).
"""

from typing import Any

from wangge.core.scoping import scope_for
from wangge.regions.models import Community, District, Grid, Street


def holds(user: Any, action: str, area: District | Street | Community | Grid) -> bool:
    scope = scope_for(user, action)
    if scope.everything:
        return True
    if isinstance(area, District):
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
