"""What the candidate tables of the case page and the worklist share: each row with its evidence
made readable and the decisions the user may take on it."""

from dataclasses import dataclass

from wangge.accounts.models import User
from wangge.tracing.evidence import Piece, readable
from wangge.tracing.models import Candidate
from wangge.tracing.selectors import through_names
from wangge.tracing.services.decisions import decision_rights


@dataclass
class CandidateRow:
    candidate: Candidate
    pieces: list[Piece]
    may_confirm: bool
    may_decide: bool
    error: str = ""


def rows_for(user: User, candidates: list[Candidate]) -> list[CandidateRow]:
    names = through_names(user, candidates)
    rights = decision_rights(user, candidates)
    return [
        CandidateRow(
            candidate=candidate,
            pieces=readable(candidate.evidence, names),
            may_confirm=rights[candidate.pk][0],
            may_decide=rights[candidate.pk][1],
        )
        for candidate in candidates
    ]
