"""What the tracing pages and the API read: the cases a user may trace or see the trace of, and the
candidates a user may see (a grid worker sees only the candidates whose person lives in their
grids, whatever the case; the street's staff and tracing task force see the street's)."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Case as DbCase
from django.db.models import Count, Max, Q, QuerySet, When
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from wangge.accounts.models import User
from wangge.checkpoints.models import Scan
from wangge.command.models import VerificationList
from wangge.core.roles import Action
from wangge.measures.models import Case
from wangge.people.models import Person
from wangge.tracing.graph import Row
from wangge.tracing.models import Candidate, CandidateStatus
from wangge.tracing.services.engine import lookback
from wangge.venues.models import Visit


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


def case_for(user: User, pk: int) -> tuple[Case, bool]:
    """The case and whether the user sees it; a grid worker who sees only some of its candidates
    gets the case too (their page shows it without the person). Else 404."""
    case = get_object_or_404(
        Case.objects.select_related("person__household__grid__community__street"), pk=pk
    )
    if Case.objects.restrict(user, Action.VIEW).filter(pk=pk).exists():
        return case, True
    if visible_candidates(user, case=case).exists():
        return case, False
    raise Http404


def worklist(user: User, status: str = "") -> QuerySet[Candidate]:
    """The candidates the user sees across cases, pending first, the newest case first."""
    pending_first = DbCase(When(status=CandidateStatus.PENDING, then=0), default=1)
    return visible_candidates(user, status=status).order_by(
        pending_first, "-case__reported_on", "case", "hop", "person_id"
    )


def graph_rows(user: User, case: Case) -> list[Row]:
    """The candidates of `case` the user sees, as the graph reads them (no model instances)."""
    rows = visible_candidates(user, case=case).values_list(
        "pk", "person_id", "person__name", "hop", "path", "status", "evidence"
    )
    return [Row(*values) for values in rows]


def through_names(user: User, candidates: list[Candidate]) -> dict[int, str]:
    """The names of the first-hop persons the second-hop candidates were reached through, for the
    persons the user sees."""
    ids = {p["through"] for c in candidates for p in c.evidence if p.get("through")}
    return dict(
        Person.objects.restrict(user, Action.VIEW)
        .filter(pk__in=sorted(ids))
        .values_list("pk", "name")
    )


@dataclass(frozen=True)
class Movement:
    at: datetime
    kind: str
    place: str


def movements(case: Case) -> list[Movement]:
    """The case person's own checkpoint scans and venue visits in the trace's lookback, in time
    order."""
    start, end = lookback(case.reported_on)
    scans = Scan._base_manager.filter(
        person_id=case.person_id, scanned_at__gte=start, scanned_at__lt=end
    ).values_list("scanned_at", "checkpoint__name")
    visits = Visit._base_manager.filter(person_id=case.person_id, at__gte=start, at__lt=end)
    found = [Movement(timezone.localtime(at), "checkpoint", name) for at, name in scans]
    found += [
        Movement(timezone.localtime(at), "venue", name)
        for at, name in visits.values_list("at", "venue__name")
    ]
    return sorted(found, key=lambda m: (m.at, m.kind, m.place))


def named_lists(user: User, case: Case) -> QuerySet[VerificationList]:
    """The 协查 lists of the case's street, read and visible to the user, newest first, that the
    tracing staff may take as persons the case named (services.named.named_from_list)."""
    household = case.person.household
    if household is None:
        return VerificationList.objects.none()
    return (
        VerificationList.objects.restrict(user)
        .filter(street_id=household.grid.community.street_id, status=VerificationList.Status.READY)
        .order_by("-created_at", "-pk")
    )
