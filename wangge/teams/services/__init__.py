"""People power's writes, one module per subject; the teams' own are re-exported."""

from wangge.teams.services.signup import Signup, SignupLimited, member_signup, open_teams
from wangge.teams.services.teams import (
    member_add,
    member_decide,
    member_leave,
    member_update,
    service_record_add,
    shift_service_record,
    team_create,
    team_update,
)

__all__ = [
    "Signup",
    "SignupLimited",
    "member_add",
    "member_decide",
    "member_leave",
    "member_signup",
    "member_update",
    "open_teams",
    "service_record_add",
    "shift_service_record",
    "team_create",
    "team_update",
]
