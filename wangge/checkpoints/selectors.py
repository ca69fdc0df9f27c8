"""Reads of the checkpoints capability: the hourly report, the roster of a week, the gaps, and the
recent scans on a staff member's phone. Counting happens in the database."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
from django.db.models.functions import TruncHour
from django.utils import timezone
from django.utils.functional import Promise

from wangge.accounts.models import User
from wangge.checkpoints.models import (
    REPORT,
    SCAN,
    Checkpoint,
    DoorController,
    DoorOpening,
    Handout,
    PersonalCode,
    Scan,
    ScanReason,
    Shift,
    ShiftAssignment,
)
from wangge.checkpoints.models.rosters import day_bounds
from wangge.checkpoints.rules import Direction, Reason, Verdict
from wangge.checkpoints.services.rosters import opening, understaffed
from wangge.core.roles import Action

COUNTS = {
    "scans_in": Count("id", filter=Q(direction=Direction.IN)),
    "scans_out": Count("id", filter=Q(direction=Direction.OUT)),
    "denied": Count("id", filter=Q(verdict=Verdict.DENY)),
    "checked": Count("id", filter=Q(verdict=Verdict.CHECK)),
    "visitors": Count("id", filter=Q(visitor__isnull=False)),
}


@dataclass
class ReportRow:
    label: str
    key: Any
    scans_in: int = 0
    scans_out: int = 0
    denied: int = 0
    checked: int = 0
    visitors: int = 0
    reasons: dict[str, int] = field(default_factory=dict)
    reason_counts: list[int] = field(default_factory=list)  # in the order of Report.reasons

    @property
    def fevers(self) -> int:
        return self.reasons.get(Reason.FEVER, 0)


@dataclass
class Report:
    day: date
    rows: list[ReportRow]
    totals: ReportRow
    reasons: list[tuple[str, str | Promise]]  # the reasons that occurred: (code, label)
    handouts: dict[str | Promise, int]


def _fill(row: ReportRow, values: dict[str, Any]) -> None:
    for key in COUNTS:
        setattr(row, key, values[key])


def scan_report(user: User, day: date, *, checkpoint: Checkpoint | None = None) -> Report:
    """Per checkpoint (street-wide) or, for one checkpoint, per hour: passages in and out, denials
    and checks with their reasons, fevers, visitors — for the scans `user` may report on (REPORT:
    their area's, and for checkpoint staff those at the checkpoints they man today)."""
    start, end = day_bounds(day)
    scans = Scan.objects.restrict(user, REPORT).filter(scanned_at__gte=start, scanned_at__lt=end)
    if checkpoint is not None:
        scans = scans.filter(checkpoint=checkpoint)
        group = TruncHour("scanned_at", tzinfo=timezone.get_current_timezone())
        key_name = "hour"
    else:
        group, key_name = None, "checkpoint"
    keyed = scans.annotate(hour=group) if group is not None else scans
    rows: dict[Any, ReportRow] = {}
    for values in keyed.values(key_name).annotate(**COUNTS).order_by(key_name):
        key = values[key_name]
        row = rows[key] = ReportRow(label="", key=key)
        _fill(row, values)
    reason_rows = ScanReason.objects.filter(scan__in=scans.values("pk"))
    reason_key = f"scan__{key_name}" if key_name == "checkpoint" else "hour"
    if key_name == "hour":
        reason_rows = reason_rows.annotate(
            hour=TruncHour("scan__scanned_at", tzinfo=timezone.get_current_timezone())
        )
    seen: set[str] = set()
    for values in reason_rows.values(reason_key, "code").annotate(n=Count("id")):
        counted = rows.get(values[reason_key])
        if counted is not None:
            counted.reasons[values["code"]] = values["n"]
            seen.add(values["code"])
    if key_name == "checkpoint":
        names = dict(Checkpoint.objects.filter(pk__in=rows).values_list("pk", "name"))
        for key, row in rows.items():
            row.label = names.get(key, "")
        ordered = sorted(rows.values(), key=lambda row: row.label)
    else:
        for key, row in rows.items():
            row.label = f"{timezone.localtime(key):%H}:00"
        ordered = sorted(rows.values(), key=lambda row: row.key)
    totals = ReportRow(label="合计", key=None)
    for row in ordered:
        for name in COUNTS:
            setattr(totals, name, getattr(totals, name) + getattr(row, name))
        for code, count in row.reasons.items():
            totals.reasons[code] = totals.reasons.get(code, 0) + count
    handouts = Handout.objects.restrict(user, REPORT).filter(at__gte=start, at__lt=end)
    if checkpoint is not None:
        handouts = handouts.filter(checkpoint=checkpoint)
    given = dict(handouts.values_list("item").annotate(n=Sum("quantity")))
    labels = dict(Reason.choices)
    occurred = [code for code in Reason.values if code in seen]
    for row in [*ordered, totals]:
        row.reason_counts = [row.reasons.get(code, 0) for code in occurred]
    return Report(
        day=day,
        rows=ordered,
        totals=totals,
        reasons=[(code, labels[code]) for code in occurred],
        handouts={label: given[item] for item, label in Handout.Item.choices if item in given},
    )


def hourly_series(user: User, day: date) -> dict[str, list[int]]:
    """Passages in and out and denials per hour of `day` (the chart), over what `user` may report
    on."""
    start, end = day_bounds(day)
    series = {name: [0] * 24 for name in ("in", "out", "denied")}
    hour = TruncHour("scanned_at", tzinfo=timezone.get_current_timezone())
    rows = (
        Scan.objects.restrict(user, REPORT)
        .filter(scanned_at__gte=start, scanned_at__lt=end)
        .annotate(hour=hour)
        .values("hour")
        .annotate(**COUNTS)
    )
    for row in rows:
        index = timezone.localtime(row["hour"]).hour
        series["in"][index] += row["scans_in"]
        series["out"][index] += row["scans_out"]
        series["denied"][index] += row["denied"]
    return series


@dataclass
class RosterDay:
    day: date
    shifts: list[Shift]
    uncovered: list[tuple[datetime, datetime]]


def roster_week(checkpoint: Checkpoint, first: date, days: int = 7) -> list[RosterDay]:
    """The shifts of each day with their people and notes, and the hours no shift covers."""
    start, _ = day_bounds(first)
    _, end = day_bounds(first + timedelta(days=days - 1))
    assignments = ShiftAssignment.objects.select_related("user", "volunteer")
    shifts = list(
        Shift.objects.filter(checkpoint=checkpoint, starts_at__gte=start, starts_at__lt=end)
        .annotate(staffed=Count("assignments"))
        .prefetch_related(Prefetch("assignments", queryset=assignments), "notes__by")
        .order_by("starts_at")
    )
    by_day: dict[date, list[Shift]] = defaultdict(list)
    for shift in shifts:
        by_day[timezone.localdate(shift.starts_at)].append(shift)
    result = []
    for offset in range(days):
        day = first + timedelta(days=offset)
        result.append(RosterDay(day, by_day[day], uncovered(checkpoint, day, by_day[day])))
    return result


def uncovered(
    checkpoint: Checkpoint, day: date, shifts: list[Shift]
) -> list[tuple[datetime, datetime]]:
    """The stretches of the day's opening hours that no shift covers."""
    opens, closes = opening(checkpoint, day)
    gaps, cursor = [], opens
    for shift in sorted(shifts, key=lambda shift: shift.starts_at):
        if shift.starts_at > cursor:
            gaps.append((cursor, min(shift.starts_at, closes)))
        cursor = max(cursor, shift.ends_at)
        if cursor >= closes:
            break
    if cursor < closes:
        gaps.append((cursor, closes))
    return [(begin, finish) for begin, finish in gaps if begin < finish]


def gap_shifts(user: User, day: date) -> QuerySet[Shift]:
    """Understaffed shifts of `day` at the checkpoints `user` may see."""
    start, end = day_bounds(day)
    shifts = Shift.objects.restrict(user, Action.VIEW).filter(
        starts_at__gte=start, starts_at__lt=end, checkpoint__active=True
    )
    return (
        understaffed(shifts)
        .select_related("checkpoint__community")
        .order_by("checkpoint__community", "checkpoint__name", "starts_at")
    )


def unrostered_checkpoints(user: User, day: date) -> QuerySet[Checkpoint]:
    start, end = day_bounds(day)
    planned = Shift.objects.filter(starts_at__gte=start, starts_at__lt=end).values("checkpoint")
    return (
        Checkpoint.objects.restrict(user, Action.VIEW)
        .filter(active=True)
        .exclude(pk__in=planned)
        .select_related("community")
    )


def recent_scans(user: User, checkpoint: Checkpoint, limit: int = 10) -> QuerySet[Scan]:
    """The last scans this staff member made here (the phone's own list)."""
    return (
        Scan.objects.restrict(user, SCAN)
        .filter(checkpoint=checkpoint)
        .select_related("person", "visitor", "household__building")
        .order_by("-scanned_at", "-id")[:limit]
    )


def current_shift(user: User, checkpoint: Checkpoint) -> ShiftAssignment | None:
    """The assignment `user` is clocked on for at this checkpoint, if any."""
    return (
        ShiftAssignment.objects.filter(
            user=user,
            shift__checkpoint=checkpoint,
            clocked_on_at__isnull=False,
            clocked_off_at__isnull=True,
        )
        .select_related("shift")
        .order_by("-shift__starts_at")
        .first()
    )


def personal_code_card(person: Any) -> dict[str, Any] | None:
    """What a card or the resident's phone shows: the QR of the person's active code, their name
    and home; None without an active code. For the resident themself or staff who see them."""
    from wangge.checkpoints import tokens

    code = PersonalCode.objects.filter(person=person, revoked_at__isnull=True).first()
    if code is None:
        return None
    household = person.household
    return {
        "qr": tokens.qr_svg(tokens.payload(tokens.PERSON, code.token_sealed), 4),
        "name": person.name,
        "place": str(household.building) if household else "",
        "version": code.version,
    }


def door_rows(checkpoint: Checkpoint) -> list[DoorController]:
    """The gate's controllers, each with its latest opening (`last_outcome`, `last_at`,
    `last_label`), in one query."""
    latest = DoorOpening.objects.filter(controller=OuterRef("pk")).order_by("-at", "-id")
    rows = list(
        DoorController.objects.filter(checkpoint=checkpoint).annotate(
            last_outcome=Subquery(latest.values("outcome")[:1]),
            last_at=Subquery(latest.values("at")[:1]),
        )
    )
    labels = dict(DoorOpening.Outcome.choices)
    for row in rows:
        row.last_label = labels.get(row.last_outcome or "", "")
    return rows
