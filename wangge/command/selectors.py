"""Reads of the command centre beyond a filter: the board's countdowns, drill results, the progress
of a verification list. Every one starts from a queryset restricted to the user."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db.models import Case, CharField, Count, F, Q, QuerySet, Value, When

from wangge.accounts.models import User
from wangge.command import units
from wangge.command.lifecycle import ACTIVE_STATES
from wangge.command.models import Task, TaskAssignment, VerificationList, VerificationRow

BOARD_LIMIT = 200


def with_next_deadline(assignments: QuerySet) -> QuerySet:
    """Annotate each assignment with its next stage and that stage's deadline, in the database."""
    return assignments.annotate(
        next_due=Case(
            When(acknowledged_at__isnull=True, then=F("ack_due_at")),
            When(started_at__isnull=True, then=F("start_due_at")),
            When(feedback_at__isnull=True, then=F("feedback_due_at")),
            default=F("due_at"),
        ),
        next_stage=Case(
            When(acknowledged_at__isnull=True, then=Value("ack")),
            When(started_at__isnull=True, then=Value("start")),
            When(feedback_at__isnull=True, then=Value("feedback")),
            default=Value("completion"),
            output_field=CharField(),
        ),
    )


def open_assignments(user: User) -> QuerySet:
    return with_next_deadline(
        TaskAssignment.objects.restrict(user)
        .filter(state__in=ACTIVE_STATES, task__status=Task.Status.OPEN)
        .select_related("task", "task__kind", "community", "grid", "department", "user")
    ).exclude(next_due=None)


@dataclass
class Board:
    late: list[TaskAssignment]
    upcoming: list[TaskAssignment]
    late_total: int
    open_total: int


def board(user: User, now: datetime, mine: bool = False) -> Board:
    """Late items first, most late on top; then what falls due next. `mine`: only the units the
    user acts for."""
    rows = open_assignments(user)
    if mine:
        rows = rows.filter(units.member_condition(user))
    late = rows.filter(next_due__lt=now).order_by("next_due", "pk")
    upcoming = rows.filter(next_due__gte=now).order_by("next_due", "pk")
    board = Board(
        late=list(late[:BOARD_LIMIT]),
        upcoming=list(upcoming[:BOARD_LIMIT]),
        late_total=late.count(),
        open_total=rows.count(),
    )
    for row in board.late + board.upcoming:
        row.seconds_left = int((row.next_due - now).total_seconds())  # type: ignore[attr-defined]  # next_due is annotated
    return board


@dataclass
class DrillLine:
    assignment: TaskAssignment
    ack: int | None
    start: int | None
    feedback: int | None


@dataclass
class DrillResult:
    lines: list[DrillLine]
    thresholds: tuple[int, int, int]
    shares: dict[str, float]  # stage → percentage of assignees within its threshold


def _seconds(since: datetime, at: datetime | None) -> int | None:
    return None if at is None else int((at - since).total_seconds())


def drill_result(task: Task) -> DrillResult:
    """Per assignee, seconds from issue to acknowledge, start and first feedback; and the share of
    assignees within 1, 5 and 10 minutes (settings.WANGGE["DRILL_THRESHOLDS_SECONDS"])."""
    thresholds = tuple(settings.WANGGE["DRILL_THRESHOLDS_SECONDS"])
    assignments = task.assignments.exclude(state=TaskAssignment.State.CANCELLED).select_related(
        "community", "grid", "department", "user"
    )
    lines = [
        DrillLine(
            assignment=a,
            ack=_seconds(task.issued_at, a.acknowledged_at),
            start=_seconds(task.issued_at, a.started_at),
            feedback=_seconds(task.issued_at, a.feedback_at),
        )
        for a in assignments
    ]
    shares = {}
    for stage, limit in zip(("ack", "start", "feedback"), thresholds, strict=True):
        within = sum(
            1
            for line in lines
            if getattr(line, stage) is not None and getattr(line, stage) <= limit
        )
        shares[stage] = round(100 * within / len(lines), 1) if lines else 0.0
    return DrillResult(lines=lines, thresholds=thresholds, shares=shares)


def _row_counts(now: datetime) -> dict[str, Count]:
    open_row = Q(result="") & ~Q(outcome=VerificationRow.Outcome.REJECTED)
    return {
        "total": Count("pk", filter=~Q(outcome=VerificationRow.Outcome.REJECTED)),
        "answered": Count("pk", filter=~Q(result="")),
        "overdue": Count("pk", filter=open_row & Q(due_at__lt=now)),
    }


def list_progress(vlist: VerificationList, user: User, now: datetime) -> dict[str, Any]:
    """Totals of the rows the user may see, and per grid (pools listed apart)."""
    rows = VerificationRow.objects.restrict(user).filter(list=vlist).order_by()
    totals = rows.aggregate(**_row_counts(now))
    per_grid = list(
        rows.values("grid_id", "grid__name", "community__name", "pool")
        .annotate(**_row_counts(now))
        .order_by("community__name", "grid__name", "pool")
    )
    for line in per_grid:
        line["percent"] = round(100 * line["answered"] / line["total"]) if line["total"] else 100
    totals["percent"] = (
        round(100 * totals["answered"] / totals["total"]) if totals["total"] else 100
    )
    return {"totals": totals, "per_grid": per_grid}


def visible_lists(user: User) -> QuerySet:
    return VerificationList.objects.restrict(user).select_related(
        "street", "community", "created_by"
    )
