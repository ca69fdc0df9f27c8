"""People power: teams and members; calls, duty lists, care and co-building units each in their
own module."""

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
