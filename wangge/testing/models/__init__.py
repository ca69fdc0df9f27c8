from wangge.testing.models.keygroups import KeyGroup, KeyGroupMember
from wangge.testing.models.results import (
    FLAGGING_OUTCOMES,
    LabResult,
    Outcome,
    RejectedRow,
    ResultCorrection,
    ResultImport,
    UnmatchedResult,
)
from wangge.testing.models.rounds import NucleicRound, RoundMark, SamplingSite
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
    "LabResult",
    "NucleicRound",
    "SamplingSite",
    "TransportPassenger",
    "TransportSlot",
    "UnmatchedResult",
    "VaccinationDose",
]
