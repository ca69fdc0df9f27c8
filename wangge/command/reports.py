"""The figures the street is judged by: 接诉即办's response, resolution and satisfaction rates per
community and grid, and the numbers of a day for the daily review. One GROUP BY each."""

from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from wangge.command.lifecycle import ACTIVE_STATES, STAGE_FIELDS
from wangge.command.models import Event, Task, TaskAssignment, VerificationRow
from wangge.command.selectors import with_next_deadline

Status = Event.Status
Satisfaction = Event.Satisfaction


def _rate(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def event_rates(events: QuerySet, by: str) -> list[dict[str, Any]]:
    """Per community (by="community") or grid (by="grid") of the event's place:
    response rate — responded to within settings.WANGGE["EVENT_RESPONSE_SECONDS"] of receipt;
    resolution rate — resolved or closed; satisfaction rate — satisfied or basically satisfied
    among the events whose reporter gave a rating."""
    limit = timedelta(seconds=settings.WANGGE["EVENT_RESPONSE_SECONDS"])
    names = [f"{by}__name"] + (["grid__community__name"] if by == "grid" else [])
    rows = (
        events.order_by()
        .values(f"{by}_id", *names)
        .annotate(
            total=Count("pk"),
            responded=Count("pk", filter=Q(responded_at__lte=F("raised_at") + limit)),
            resolved=Count("pk", filter=Q(status__in=[Status.RESOLVED, Status.CLOSED])),
            rated=Count("pk", filter=~Q(satisfaction="")),
            satisfied=Count(
                "pk", filter=Q(satisfaction__in=[Satisfaction.SATISFIED, Satisfaction.BASIC])
            ),
        )
        .order_by(*reversed(names))
    )
    return [
        {
            "id": row[f"{by}_id"],
            "name": "·".join(row[name] for name in reversed(names) if row[name]),
            "total": row["total"],
            "response_rate": _rate(row["responded"], row["total"]),
            "resolution_rate": _rate(row["resolved"], row["total"]),
            "satisfaction_rate": _rate(row["satisfied"], row["rated"]),
        }
        for row in rows
    ]


def day_bounds(day: date) -> tuple[datetime, datetime]:
    start = timezone.make_aware(datetime.combine(day, time.min))
    return start, start + timedelta(days=1)


def late_assignments(street_id: int, now: datetime) -> QuerySet:
    """Open assignments of the street whose next stage is overdue, most late first."""
    rows = with_next_deadline(
        TaskAssignment.objects.filter(
            task__street_id=street_id, state__in=ACTIVE_STATES, task__status=Task.Status.OPEN
        ).select_related("task", "community", "grid", "department", "user")
    )
    return rows.filter(next_due__lt=now).order_by("next_due", "pk")


def open_events(street_id: int) -> QuerySet:
    return (
        Event.objects.filter(street_id=street_id, status__in=[Status.OPEN, Status.RESPONDED])
        .select_related("kind", "owner_street", "owner_community", "owner_grid", "owner_department")
        .order_by("raised_at")
    )


def stages_missed(street_id: int, start: datetime, end: datetime) -> int:
    """Task stages due within [start, end) that were reached late or not at all (so far)."""
    now = timezone.now()
    counts = {}
    for stage, (done, due) in STAGE_FIELDS.items():
        in_day = Q(**{f"{due}__gte": start, f"{due}__lt": min(end, now)})
        missed = Q(**{f"{done}__isnull": True}) | Q(**{f"{done}__gt": F(due)})
        counts[stage] = Count("pk", filter=in_day & missed)
    totals = (
        TaskAssignment.objects.filter(task__street_id=street_id)
        .exclude(state=TaskAssignment.State.CANCELLED)
        .aggregate(**counts)
    )
    return sum(totals.values())


def day_numbers(street_id: int, day: date) -> dict[str, int]:
    """The day's numbers (Asia/Shanghai day) for the daily review."""
    start, end = day_bounds(day)
    tasks = Task.objects.filter(street_id=street_id)
    events = Event.objects.filter(street_id=street_id)
    rows = VerificationRow.objects.filter(list__street_id=street_id)
    return {
        "tasks_issued": tasks.filter(issued_at__gte=start, issued_at__lt=end).count(),
        "tasks_completed": tasks.filter(
            status=Task.Status.COMPLETED, closed_at__gte=start, closed_at__lt=end
        ).count(),
        "stages_missed": stages_missed(street_id, start, end),
        "events_raised": events.filter(raised_at__gte=start, raised_at__lt=end).count(),
        "events_resolved": events.filter(resolved_at__gte=start, resolved_at__lt=end).count(),
        "rows_imported": rows.filter(list__created_at__gte=start, list__created_at__lt=end).count(),
        "rows_answered": rows.filter(answered_at__gte=start, answered_at__lt=end).count(),
        "rows_overdue": rows.filter(result="", due_at__lt=min(end, timezone.now()))
        .exclude(outcome=VerificationRow.Outcome.REJECTED)
        .count(),
    }
