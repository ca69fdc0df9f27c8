"""Reads of the measures capability: the grid worker's board, a person's timeline, lists."""

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from wangge.accounts.models import User
from wangge.core.roles import Action
from wangge.measures.models import (
    ArrivalReport,
    CheckIn,
    CheckInSlot,
    HealthCodeChange,
    MeasureEvent,
    MeasureTest,
    PersonMeasure,
)
from wangge.measures.services.common import rules
from wangge.measures.services.release import releasable, release_blockers

Slot = CheckInSlot.Status


def visible_measures(user: User, *, mine: bool = False) -> QuerySet[PersonMeasure]:
    """Active measures `user` may see; with `mine`, only those on whose team they serve."""
    measures = PersonMeasure.objects.restrict(user, Action.VIEW).filter(
        status=PersonMeasure.Status.ACTIVE
    )
    if mine:
        measures = measures.for_team_member(user)
    return measures


@dataclass
class Board:
    """我的管控对象: what a grid worker has to do today, each a tap away."""

    measures: int = 0
    due: list[CheckInSlot] = field(default_factory=list)
    overdue: list[CheckInSlot] = field(default_factory=list)
    fevers: list[CheckIn] = field(default_factory=list)
    tests: list[MeasureTest] = field(default_factory=list)
    releases: list[tuple[PersonMeasure, list[str]]] = field(default_factory=list)


def _day_bounds(now: datetime) -> tuple[datetime, datetime]:
    start = timezone.make_aware(datetime.combine(timezone.localdate(now), time.min))
    return start, start + timedelta(days=1)


def overdue_slots(measures: QuerySet[PersonMeasure], now: datetime) -> QuerySet[CheckInSlot]:
    """Today's check-ins of `measures` that are missed, or still open past the grace period."""
    start, _ = _day_bounds(now)
    grace = timedelta(minutes=rules()["CHECKIN_GRACE_MINUTES"])
    overdue = Q(status=Slot.MISSED) | Q(status=Slot.OPEN, due_at__lte=now - grace)
    return CheckInSlot.objects.filter(
        overdue, measure__in=measures, due_at__gte=start, due_at__lt=now
    )


def fever_checkins(measures: QuerySet[PersonMeasure], now: datetime) -> QuerySet[CheckIn]:
    """Check-ins of `measures` flagged (fever or symptoms) in the last 24 hours."""
    return CheckIn.objects.filter(
        measure__in=measures, flagged=True, at__gte=now - timedelta(days=1)
    )


def board_for(user: User, *, mine: bool = False, now: datetime | None = None) -> Board:
    now = now or timezone.now()
    today = timezone.localdate(now)
    start, end = _day_bounds(now)
    grace = timedelta(minutes=rules()["CHECKIN_GRACE_MINUTES"])
    measures = visible_measures(user, mine=mine)
    slots = CheckInSlot.objects.filter(measure__in=measures, due_at__gte=start)
    person = ("measure__person__household__building__compound", "measure__measure_type")
    release_candidates = measures.filter(end__lte=today).select_related("person", "measure_type")
    ready = set(releasable(today).filter(pk__in=release_candidates).values_list("pk", flat=True))
    return Board(
        measures=measures.count(),
        due=list(
            slots.filter(status=Slot.OPEN, due_at__lt=end, due_at__gt=now - grace).select_related(
                *person
            )
        ),
        overdue=list(overdue_slots(measures, now).select_related(*person)),
        fevers=list(fever_checkins(measures, now).select_related("measure__person")),
        tests=list(
            MeasureTest.objects.filter(measure__in=measures, result="", due_on__lte=today)
            .select_related("measure__person")
            .order_by("due_on", "id")
        ),
        releases=[
            (measure, [] if measure.pk in ready else release_blockers(measure, today))
            for measure in release_candidates.prefetch_related("tests")
        ],
    )


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    kind: str
    text: str
    flagged: bool = False


def person_timeline(person: Any, user: User) -> list[TimelineEntry]:
    """Every step of a person's measures, check-ins, tests, health codes and arrival reports,
    newest first — only what `user` may see."""
    measures = PersonMeasure.objects.restrict(user, Action.VIEW).filter(person=person)
    entries: list[TimelineEntry] = []
    for event in MeasureEvent.objects.filter(measure__in=measures).select_related(
        "measure__measure_type", "by"
    ):
        text = f"{event.get_kind_display()}：{event.measure.measure_type.name}"
        if event.reason:
            text += f"（{event.reason}）"
        entries.append(TimelineEntry(event.at, "measure", text))
    for checkin in CheckIn.objects.filter(measure__in=measures):
        signs = "、".join(checkin.symptom_labels)
        text = f"打卡 {checkin.temperature}°C" + (f"，{signs}" if signs else "")
        entries.append(TimelineEntry(checkin.at, "checkin", text, checkin.flagged))
    for slot in CheckInSlot.objects.filter(measure__in=measures, status=Slot.MISSED):
        local = timezone.localtime(slot.due_at)
        entries.append(TimelineEntry(slot.due_at, "missed", f"未打卡（{local:%H:%M}）", True))
    for test in MeasureTest.objects.filter(measure__in=measures).exclude(result=""):
        moment = test.recorded_at or timezone.now()
        text = f"核酸{test.get_result_display()}（{test.sampled_on:%m-%d}采样）"
        entries.append(
            TimelineEntry(moment, "test", text, test.result != MeasureTest.Result.NEGATIVE)
        )
    for code in HealthCodeChange.objects.restrict(user, Action.VIEW).filter(person=person):
        entries.append(
            TimelineEntry(
                code.changed_at,
                "health_code",
                f"健康码：{code.get_colour_display()}",
                code.colour != "green",
            )
        )
    for report in ArrivalReport.objects.restrict(user, Action.VIEW).filter(person=person):
        entries.append(
            TimelineEntry(report.arrived_at, "arrival", f"返乡报备：自{report.origin_label}返回")
        )
    return sorted(entries, key=lambda entry: entry.at, reverse=True)


def current_health_code(person: Any) -> HealthCodeChange | None:
    return HealthCodeChange.objects.filter(person=person).order_by("-changed_at").first()
