"""The teams' reads beyond a filter, one module per subject; the teams' own are re-exported."""

from wangge.teams.selectors.teams import (
    KindGroup,
    members_with_hours,
    pending_signups,
    rosterable_members,
    staff_of,
    teams_by_kind,
    teams_counted,
)

__all__ = [
    "KindGroup",
    "members_with_hours",
    "pending_signups",
    "rosterable_members",
    "staff_of",
    "teams_by_kind",
    "teams_counted",
]
