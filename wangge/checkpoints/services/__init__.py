"""Every write of the checkpoints capability: keyword-only `<entity>_<action>` functions, one
transaction each. Views, the API and the periodic tasks call these."""

from wangge.checkpoints.services.checkpoints import (
    CheckpointData,
    checkpoint_code_renew,
    checkpoint_create,
    checkpoint_update,
    handout_record,
)
from wangge.checkpoints.services.codes import (
    pass_revoke,
    passes_issue,
    personal_code_reissue,
    personal_code_revoke,
    personal_codes_issue,
)
from wangge.checkpoints.services.doors import (
    DoorData,
    door_controller_create,
    door_controller_update,
    door_test_open,
)
from wangge.checkpoints.services.rosters import (
    roster_gap_notices,
    shift_assign,
    shift_clock,
    shift_note_add,
    shift_unassign,
    shifts_plan,
    volunteer_clock,
)
from wangge.checkpoints.services.scans import (
    ScanError,
    ScanInput,
    ScanOutcome,
    scan_record,
    scan_resolve,
)
from wangge.checkpoints.services.visitors import VisitorData

__all__ = [
    "CheckpointData",
    "DoorData",
    "ScanError",
    "ScanInput",
    "ScanOutcome",
    "VisitorData",
    "checkpoint_code_renew",
    "checkpoint_create",
    "checkpoint_update",
    "door_controller_create",
    "door_controller_update",
    "door_test_open",
    "handout_record",
    "pass_revoke",
    "passes_issue",
    "personal_code_reissue",
    "personal_code_revoke",
    "personal_codes_issue",
    "roster_gap_notices",
    "scan_record",
    "scan_resolve",
    "shift_assign",
    "shift_clock",
    "shift_note_add",
    "shift_unassign",
    "shifts_plan",
    "volunteer_clock",
]
