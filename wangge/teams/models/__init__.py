"""People power: teams and members; calls, duty lists, care and co-building units each in their
own module."""

from wangge.teams.models.calls import (
    Answer,
    AnswerChannel,
    Call,
    CallInvite,
    CallKind,
    CallPost,
    CallStatus,
)
from wangge.teams.models.care import REACHED, CallOutcome, CarePlan, CareReason, WelfareCall
from wangge.teams.models.duties import Position, PositionDuty, PositionHolder, PostService
from wangge.teams.models.teams import (
    KIND_COLOURS,
    Member,
    MemberSource,
    MemberStatus,
    ServiceRecord,
    Skill,
    Team,
    TeamColour,
    TeamKind,
)
from wangge.teams.models.units import CobuildingUnit, ResponsibilityLetter, UnitKind

__all__ = [
    "Answer",
    "AnswerChannel",
    "Call",
    "CallInvite",
    "CallKind",
    "CallPost",
    "CallStatus",
    "REACHED",
    "CallOutcome",
    "CarePlan",
    "CareReason",
    "WelfareCall",
    "CobuildingUnit",
    "Position",
    "PositionDuty",
    "PositionHolder",
    "PostService",
    "ResponsibilityLetter",
    "UnitKind",
    "KIND_COLOURS",
    "Member",
    "MemberSource",
    "MemberStatus",
    "ServiceRecord",
    "Skill",
    "Team",
    "TeamColour",
    "TeamKind",
]
