"""Reads of 诉求: the resident's own requests, the staff's scoped list, what is overdue, and the
summary per grid that the street and the communities read.

The summary's counting rule (docs/residents.md, "Requests"): every request in the caller's scope
counts once under its current status; `escalated` counts those ever escalated; `overdue` counts the
open ones still 待受理 past `REQUEST_TAKE_MINUTES` from submission, or open past
`REQUEST_DONE_HOURS` — once each, even when both hold; time to close is measured on 已办结 requests
only (submission → 办结; withdrawn and declined ones are not "closed" in this sense), given as the
median and the mean in hours; the rating is the mean of the ratings given."""

import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from wangge.core.roles import Action
from wangge.residents.models import (
    OPEN_STATUSES,
    Account,
    HelpRequest,
    RequestStatus,
)


def take_deadline(now: datetime) -> datetime:
    """Requests made before this moment and still waiting are past the time to be taken."""
    return now - timedelta(minutes=settings.WANGGE["REQUEST_TAKE_MINUTES"])


def done_deadline(now: datetime) -> datetime:
    """Requests made before this moment and still open are past the time to be done."""
    return now - timedelta(hours=settings.WANGGE["REQUEST_DONE_HOURS"])


def overdue_condition(now: datetime) -> Q:
    return Q(status__in=OPEN_STATUSES) & (
        Q(status=RequestStatus.SUBMITTED, created_at__lte=take_deadline(now))
        | Q(created_at__lte=done_deadline(now))
    )


def is_overdue(help_request: HelpRequest, now: datetime) -> bool:
    if help_request.status not in OPEN_STATUSES:
        return False
    waiting = help_request.status == RequestStatus.SUBMITTED
    return (waiting and help_request.created_at <= take_deadline(now)) or (
        help_request.created_at <= done_deadline(now)
    )


def own_requests(account: Account) -> QuerySet[HelpRequest]:
    """The requests of the account's household (made by any of its accounts): nothing else."""
    if account.household_id is None:
        return HelpRequest.objects.none()
    return HelpRequest.objects.filter(household_id=account.household_id).select_related("person")


def staff_requests(
    user: Any, *, status: str = "", kind: str = "", overdue: bool = False
) -> QuerySet[HelpRequest]:
    rows = HelpRequest.objects.restrict(user, Action.VIEW).select_related(
        "person", "household__building__compound", "grid__community", "taken_by"
    )
    if status in RequestStatus.values:
        rows = rows.filter(status=status)
    if kind:
        rows = rows.filter(kind=kind)
    if overdue:
        rows = rows.filter(overdue_condition(timezone.now()))
    return rows


def status_counts(user: Any) -> dict[str, int]:
    rows = HelpRequest.objects.restrict(user, Action.VIEW).values_list("status", flat=True)
    counts = dict.fromkeys(RequestStatus.values, 0)
    for status in rows:
        counts[status] += 1
    return counts


@dataclass
class GridSummary:
    grid_id: int | None
    grid: str
    community: str = ""
    total: int = 0
    by_status: dict[str, int] = field(
        default_factory=lambda: dict.fromkeys(RequestStatus.values, 0)
    )
    escalated: int = 0
    overdue: int = 0
    hours_to_close: list[float] = field(default_factory=list)
    ratings: list[int] = field(default_factory=list)

    def add(self, row: dict[str, Any], now: datetime) -> None:
        self.total += 1
        self.by_status[row["status"]] += 1
        self.escalated += row["escalated_at"] is not None
        help_request = HelpRequest(status=row["status"], created_at=row["created_at"])
        self.overdue += is_overdue(help_request, now)
        if row["status"] == RequestStatus.DONE and row["closed_at"]:
            seconds = (row["closed_at"] - row["created_at"]).total_seconds()
            self.hours_to_close.append(seconds / 3600)
        if row["rating"] is not None:
            self.ratings.append(row["rating"])

    def as_dict(self) -> dict[str, Any]:
        hours = self.hours_to_close
        return {
            "grid": self.grid_id,
            "grid_name": self.grid,
            "community": self.community,
            "total": self.total,
            "by_status": self.by_status,
            "escalated": self.escalated,
            "overdue": self.overdue,
            "closed": len(hours),
            "median_hours_to_close": round(statistics.median(hours), 1) if hours else None,
            "mean_hours_to_close": round(statistics.fmean(hours), 1) if hours else None,
            "mean_rating": round(statistics.fmean(self.ratings), 2) if self.ratings else None,
        }


def summary(user: Any, *, now: datetime | None = None) -> dict[str, Any]:
    """Counts by status, time to close, overdue and escalated per grid, and the same in total."""
    now = now or timezone.now()
    rows = (
        HelpRequest.objects.restrict(user, Action.VIEW)
        .order_by("grid__community__name", "grid__name", "grid_id")
        .values(
            "grid_id",
            "grid__name",
            "grid__community__name",
            "status",
            "created_at",
            "closed_at",
            "escalated_at",
            "rating",
        )
    )
    grids: dict[int, GridSummary] = defaultdict(lambda: GridSummary(None, ""))
    total = GridSummary(None, "")
    for row in rows:
        grid = grids[row["grid_id"]]
        grid.grid_id, grid.grid = row["grid_id"], row["grid__name"]
        grid.community = row["grid__community__name"]
        grid.add(row, now)
        total.add(row, now)
    return {
        "take_minutes": settings.WANGGE["REQUEST_TAKE_MINUTES"],
        "done_hours": settings.WANGGE["REQUEST_DONE_HOURS"],
        "total": total.as_dict(),
        "grids": [grid.as_dict() for grid in grids.values()],
    }
