"""Running the trace of a case: the candidates found are written, one row per (case, person).

- Who: a user who sees the case and holds it on the case's street (tracing staff, the street's
  command); the system (`by=None`, the `trace_case` command) always.
- A candidate found again gets its path, hop and evidence refreshed and keeps its status and
  decision: a dismissed candidate stays dismissed. A candidate no longer found is kept as it is.
- Each run writes a Trace row with its window, hops and counts, and one audit entry.
"""

from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from wangge.accounts.authority import holds
from wangge.core.origin import Origin
from wangge.core.roles import Action
from wangge.core.services import audit_record
from wangge.measures.models import Case
from wangge.tracing.models import Candidate, Trace
from wangge.tracing.services.engine import find_candidates, windows_for

MAX_HOPS = 2
MAX_WINDOW_MINUTES = 24 * 60
BATCH = 500


def may_trace(by: Any, case: Case) -> bool:
    """Whether `by` may run the trace of `case` (the system always may)."""
    if by is None:
        return True
    street = case.person.household.grid.community.street if case.person.household else None
    return (
        street is not None
        and Case.objects.restrict(by).filter(pk=case.pk).exists()
        and holds(by, Action.VIEW, street)
    )


def _check(by: Any, case: Case) -> None:
    if not may_trace(by, case):
        raise PermissionDenied("无权对该病例进行流调 / you may not trace this case")


def trace_run(
    *,
    by: Any,
    case: Case,
    window_minutes: int | None = None,
    hops: int = 2,
    now: datetime | None = None,
    origin: Origin = Origin.SYSTEM,
) -> Trace:
    """Find the candidates of `case` and write them; return the Trace row of this run."""
    if window_minutes is not None and not 1 <= window_minutes <= MAX_WINDOW_MINUTES:
        raise ValidationError("时间窗口应为1至1440分钟 / the window is 1 to 1440 minutes")
    if not 1 <= hops <= MAX_HOPS:
        raise ValidationError("追踪层数应为1或2 / hops is 1 or 2")
    _check(by, case)
    now = now or timezone.now()
    with transaction.atomic():
        found = find_candidates(case, window_minutes=window_minutes, hops=hops)
        existing = {c.person_id: c for c in Candidate.objects.select_for_update().filter(case=case)}
        created, updated = [], []
        for person_id in found.ordered():
            values = {
                "path": found.path_of(person_id),
                "hop": found.hop_of(person_id),
                "evidence": found.evidence[person_id],
                "traced_at": now,
            }
            candidate = existing.get(person_id)
            if candidate is None:
                created.append(Candidate(case=case, person_id=person_id, found_at=now, **values))
            else:
                for name, value in values.items():
                    setattr(candidate, name, value)
                updated.append(candidate)
        Candidate.objects.bulk_create(created, batch_size=BATCH)
        # in batches: one UPDATE of N rows is a CASE of N branches per column, whose planning grows
        # faster than N (19,599 rows ran for minutes on PostgreSQL, docs/performance.md)
        Candidate.objects.bulk_update(
            updated, ["path", "hop", "evidence", "traced_at"], batch_size=BATCH
        )
        counts = found.counts()
        trace = Trace.objects.create(
            case=case,
            window_minutes=window_minutes,
            windows=windows_for(window_minutes),
            hops=hops,
            run_at=now,
            by=by if getattr(by, "pk", None) else None,
            counts=counts,
        )
        audit_record(
            actor=by,
            action="trace.run",
            target=case,
            changes={
                "windows": windows_for(window_minutes),
                "hops": hops,
                "new": len(created),
                **counts,
            },
            origin=origin,
        )
    return trace
