"""People power's forms, one module per subject; the teams' own are re-exported."""

from wangge.teams.forms.teams import (
    DecideForm,
    MemberAddForm,
    MemberEditForm,
    ServiceRecordForm,
    SignupForm,
    TeamChoice,
    TeamForm,
)

__all__ = [
    "DecideForm",
    "MemberAddForm",
    "MemberEditForm",
    "ServiceRecordForm",
    "SignupForm",
    "TeamChoice",
    "TeamForm",
]
