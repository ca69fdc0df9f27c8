from wangge.testing.models.keygroups import KeyGroup, KeyGroupMember
from wangge.testing.models.results import (
    FLAGGING_OUTCOMES,
    Outcome,
    RejectedRow,
    ResultCorrection,
    ResultImport,
    TestResult,
    UnmatchedResult,
)
from wangge.testing.models.rounds import RoundMark, TestRound, TestSite
from wangge.testing.models.vaccination import (
    OutreachNote,
    TransportPassenger,
    TransportSlot,
    VaccinationDose,
)

__all__ = [
    "FLAGGING_OUTCOMES",
    "KeyGroup",
    "KeyGroupMember",
    "Outcome",
    "OutreachNote",
    "RejectedRow",
    "ResultCorrection",
    "ResultImport",
    "RoundMark",
    "TestResult",
    "TestRound",
    "TestSite",
    "TransportPassenger",
    "TransportSlot",
    "UnmatchedResult",
    "VaccinationDose",
]
