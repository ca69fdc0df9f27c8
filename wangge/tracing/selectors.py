"""What the tracing pages and the API read: the cases a user may trace or see the trace of, and the
candidates a user may see (a grid worker sees only the candidates whose person lives in their
grids, whatever the case; the street's staff and tracing task force see the street's)."""

from django.db.models import Count, Max, Q, QuerySet

from wangge.accounts.models import User
from wangge.core.roles import Action
from wangge.measures.models import Case
from wangge.tracing.models import Candidate, CandidateStatus


def traced_cases(user: User) -> QuerySet[Case]:
    """The cases the user sees, each with its candidates counted by status and its last run."""
    return (
        Case.objects.restrict(user, Action.VIEW)
        .select_related("person__household__grid__community")
        .annotate(
            candidates_total=Count("trace_candidates", distinct=True),
            candidates_pending=Count(
                "trace_candidates",
                filter=Q(trace_candidates__status=CandidateStatus.PENDING),
                distinct=True,
            ),
            candidates_confirmed=Count(
                "trace_candidates",
                filter=Q(trace_candidates__status=CandidateStatus.CONFIRMED),
                distinct=True,
            ),
            last_run_at=Max("traces__run_at"),
        )
        .order_by("-reported_on", "-pk")
    )


def visible_candidates(
    user: User, *, case: Case | None = None, status: str = "", hop: int | None = None
) -> QuerySet[Candidate]:
    """The candidates the user sees, in the trace's order (hop, path, person)."""
    rows = Candidate.objects.restrict(user, Action.VIEW).select_related(
        "case", "person__household__grid__community", "measure__measure_type", "decided_by"
    )
    if case is not None:
        rows = rows.filter(case=case)
    if status in CandidateStatus.values:
        rows = rows.filter(status=status)
    if hop in (1, 2):
        rows = rows.filter(hop=hop)
    return rows.order_by("case", "hop", "path", "person_id")
