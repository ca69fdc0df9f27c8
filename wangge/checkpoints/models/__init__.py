"""Checkpoints, codes, scans and duty rosters: the models, one module per concept."""

from wangge.checkpoints.models.checkpoints import REPORT, SCAN, Checkpoint, Handout
from wangge.checkpoints.models.codes import Pass, PersonalCode
from wangge.checkpoints.models.doors import DoorController, DoorOpening
from wangge.checkpoints.models.rosters import (
    RosterGapNotice,
    Shift,
    ShiftAssignment,
    ShiftNote,
)
from wangge.checkpoints.models.scans import Scan, ScanReason, Visitor

__all__ = [
    "REPORT",
    "SCAN",
    "Checkpoint",
    "DoorController",
    "DoorOpening",
    "Handout",
    "Pass",
    "PersonalCode",
    "RosterGapNotice",
    "Scan",
    "ScanReason",
    "Shift",
    "ShiftAssignment",
    "ShiftNote",
    "Visitor",
]
