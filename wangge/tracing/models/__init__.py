"""Tracing (流调溯源): for an index case, the candidates found with their evidence, the persons the
case named, and each run of the trace."""

from wangge.tracing.models.candidates import (
    Candidate,
    CandidateStatus,
    NamedContact,
    Path,
    Trace,
)

__all__ = ["Candidate", "CandidateStatus", "NamedContact", "Path", "Trace"]
