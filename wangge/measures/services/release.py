"""Ending measures: release (by hand or automatically when due), early end, transfer.

A release starts the follow-on measure of the type (7 days centralised → 3 days at home).
"""

from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from wangge.accounts.models import User
from wangge.core.origin import Origin
from wangge.core.services import audit_record
from wangge.measures.models import (
    CheckInSlot,
    MeasureEvent,
    MeasureTest,
    MeasureType,
    PersonMeasure,
)
from wangge.measures.services.assign import start_measures
from wangge.measures.services.common import (
    Team,
    record_events,
    require_measure,
    team_assignments_end,
)
from wangge.regions.choices import ColourReason
from wangge.regions.colours import household_colours_refresh

Kind = MeasureEvent.Kind
Status = PersonMeasure.Status
Result = MeasureTest.Result


def _close(
    measures: QuerySet,
    *,
    by: User | None,
    status: str,
    reason: str,
    now: datetime,
    destination: str = "",
) -> int:
    """End the given active measures in one UPDATE and cancel their open check-in slots."""
    ended = measures.filter(status=Status.ACTIVE).update(
        status=status,
        ended_at=now,
        ended_on=timezone.localdate(now),
        ended_by=by if getattr(by, "pk", None) else None,
        end_reason=reason[:300],
        destination=destination,
    )
    just_ended = PersonMeasure.objects.filter(status=status, ended_at=now).values("pk")
    team_assignments_end(just_ended, timezone.localdate(now))
    CheckInSlot.objects.filter(measure__in=just_ended, status=CheckInSlot.Status.OPEN).update(
        status=CheckInSlot.Status.CANCELLED
    )
    return ended


def _locked_active(measure: PersonMeasure) -> PersonMeasure:
    measure = (
        PersonMeasure.objects.select_for_update()
        .select_related("measure_type", "person")
        .get(pk=measure.pk)
    )
    if measure.status != Status.ACTIVE:
        raise ValidationError(
            f"该措施已{measure.get_status_display()} / this measure is no longer active"
        )
    return measure


def release_blockers(measure: PersonMeasure, on: date | None = None) -> list[str]:
    """Why this measure cannot be released on `on` (today), in words; empty when it can."""
    on = on or timezone.localdate()
    if measure.status != Status.ACTIVE:
        return [f"该措施已{measure.get_status_display()} / this measure is no longer active"]
    reasons = []
    if measure.end > on:
        reasons.append(
            f"管控期未满，{measure.end:%Y-%m-%d}起可解除 / "
            f"the measure runs until {measure.end:%Y-%m-%d}"
        )
    if measure.measure_type.release_needs_negative:
        tests = list(measure.tests.all())
        open_days = [str(t.day) for t in tests if t.is_open]
        if open_days:
            days = "、".join(open_days)
            reasons.append(f"第{days}天核酸尚无结果 / no test result yet for day {days}")
        if any(t.result in (Result.POSITIVE, Result.PENDING_REVIEW) for t in tests):
            reasons.append("有阳性或待复核的核酸结果 / a test is positive or under review")
        done = sorted((t for t in tests if t.result), key=lambda t: (t.sampled_on, t.pk))
        if done and done[-1].result != Result.NEGATIVE:
            reasons.append("末次核酸不是阴性 / the last test is not negative")
    return reasons


def releasable(on: date) -> QuerySet:
    """Active measures that may be released on `on`: release_blockers' rule, in SQL."""
    tests = MeasureTest.objects.filter(measure=OuterRef("pk"))
    latest = tests.exclude(result="").order_by("-sampled_on", "-id").values("result")[:1]
    tests_ok = (
        ~Exists(tests.filter(result=""))
        & ~Exists(tests.filter(result__in=[Result.POSITIVE, Result.PENDING_REVIEW]))
        & (Q(latest_result=Result.NEGATIVE) | Q(latest_result__isnull=True))
    )
    return (
        PersonMeasure.objects.filter(status=Status.ACTIVE, end__lte=on)
        .annotate(latest_result=Subquery(latest))
        .filter(Q(measure_type__release_needs_negative=False) | tests_ok)
    )


def _follow_on(
    *, by: User | None, released: list[PersonMeasure], now: datetime
) -> list[PersonMeasure]:
    """Start the follow-on measure of each released measure whose type has one."""
    groups: dict[int, list[PersonMeasure]] = {}
    for measure in released:
        if measure.measure_type.follow_on_id:
            groups.setdefault(measure.measure_type.follow_on_id, []).append(measure)
    started: list[PersonMeasure] = []
    for type_id, group in groups.items():
        follow = MeasureType.objects.select_related("rule_set").get(pk=type_id)
        name = group[0].measure_type.name
        started += start_measures(
            by=by,
            items=[(m.person, Team(m.grid_worker, m.doctor, m.police), m) for m in group],
            measure_type=follow,
            start=timezone.localdate(now),
            reason=f"{name}期满接续 / follows {name}",
            plan=group[0].plan,
            kind=Kind.FOLLOWED_ON,
            now=now,
        )
    return started


def _finish(
    measure: PersonMeasure,
    *,
    by: User,
    status: str,
    kind: str,
    reason: str,
    origin: Origin,
    destination: str = "",
) -> datetime:
    now = timezone.now()
    _close(
        PersonMeasure.objects.filter(pk=measure.pk),
        by=by,
        status=status,
        reason=reason,
        now=now,
        destination=destination,
    )
    measure.refresh_from_db()
    record_events(
        [
            MeasureEvent(
                measure=measure, person=measure.person, kind=kind, at=now, by=by, reason=reason
            )
        ]
    )
    changes: dict[str, Any] = {"status": [Status.ACTIVE.value, status]}
    if destination:
        changes["destination"] = destination
    audit_record(
        actor=by, action="update", target=measure, changes=changes, reason=reason, origin=origin
    )
    return now


@transaction.atomic
def measure_release(
    *, by: User, measure: PersonMeasure, reason: str = "", origin: Origin = Origin.SYSTEM
) -> PersonMeasure:
    """解除 by hand: when the duration has passed and, if the type says so, the last tests are
    negative. Starts the follow-on measure; returns the released measure."""
    require_measure(by, measure)
    measure = _locked_active(measure)
    blockers = release_blockers(measure)
    if blockers:
        raise ValidationError(blockers)
    reason = (reason or "").strip() or "期满解除 / released at the end of the measure"
    now = _finish(
        measure, by=by, status=Status.RELEASED, kind=Kind.RELEASED, reason=reason, origin=origin
    )
    _follow_on(by=by, released=[measure], now=now)
    household_colours_refresh(
        household_ids=[measure.person.household_id], reason=ColourReason.MEASURE, by=by
    )
    return measure


@transaction.atomic
def measure_release_due(*, now: datetime | None = None) -> dict[str, int]:
    """Release every measure that is due and meets its conditions, and start the follow-ons.

    Set-based: one UPDATE releases them all; follow-ons, slots, tests and timeline entries are
    bulk inserts. Idempotent: a second run finds nothing left to release.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    reason = "期满自动解除 / released automatically at the end of the measure"
    due = PersonMeasure.objects.filter(pk__in=releasable(today).values("pk"))
    released_count = _close(due, by=None, status=Status.RELEASED, reason=reason, now=now)
    if not released_count:
        return {"released": 0, "followed_on": 0}
    released = list(
        PersonMeasure.objects.filter(status=Status.RELEASED, ended_at=now, ended_by=None)
        .select_related("measure_type", "person", "grid_worker", "doctor", "police")
        .order_by("pk")
    )
    record_events(
        [
            MeasureEvent(measure=m, person=m.person, kind=Kind.AUTO_RELEASED, at=now, reason=reason)
            for m in released
        ]
    )
    audit_record(
        actor=None,
        action="update",
        target_type="measures.personmeasure",
        target_label=f"{len(released)} 项期满自动解除 / released automatically",
        changes={"released": [m.pk for m in released]},
        reason=reason,
    )
    started = _follow_on(by=None, released=released, now=now)
    household_colours_refresh(
        household_ids=[m.person.household_id for m in released], reason=ColourReason.MEASURE
    )
    return {"released": len(released), "followed_on": len(started)}


@transaction.atomic
def measure_end_early(
    *, by: User, measure: PersonMeasure, reason: str, origin: Origin = Origin.SYSTEM
) -> PersonMeasure:
    """Early termination (e.g. a mistaken identification), with a reason; nothing follows."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "请填写提前终止的原因 / a reason is required"})
    require_measure(by, measure)
    measure = _locked_active(measure)
    _finish(
        measure,
        by=by,
        status=Status.ENDED_EARLY,
        kind=Kind.ENDED_EARLY,
        reason=reason,
        origin=origin,
    )
    household_colours_refresh(
        household_ids=[measure.person.household_id], reason=ColourReason.MEASURE, by=by
    )
    return measure


@transaction.atomic
def measure_transfer(
    *,
    by: User,
    measure: PersonMeasure,
    reason: str,
    destination: str,
    measure_type: MeasureType | None = None,
    origin: Origin = Origin.SYSTEM,
) -> PersonMeasure:
    """转运 to centralised isolation or hospital, with a reason. With `measure_type` (say,
    centralised isolation) a new measure starts today with the same team; returns the ended one."""
    reason = (reason or "").strip()
    destination = (destination or "").strip()
    errors = {}
    if not reason:
        errors["reason"] = "请填写转运原因 / a reason is required"
    if not destination:
        errors["destination"] = "请填写转运去向 / say where the person goes"
    if errors:
        raise ValidationError(errors)
    require_measure(by, measure)
    measure = _locked_active(measure)
    today = timezone.localdate()
    if measure_type is not None and not measure_type.rule_set.in_force_on(today):
        raise ValidationError(
            {"measure_type": "该措施类型今日不适用 / this measure type is not in force today"}
        )
    now = _finish(
        measure,
        by=by,
        status=Status.TRANSFERRED,
        kind=Kind.TRANSFERRED,
        reason=reason,
        origin=origin,
        destination=destination,
    )
    if measure_type is not None:
        start_measures(
            by=by,
            items=[
                (measure.person, Team(measure.grid_worker, measure.doctor, measure.police), measure)
            ],
            measure_type=measure_type,
            start=today,
            reason=f"转运至{destination}：{reason}",
            plan=measure.plan,
            kind=Kind.ASSIGNED,
            now=now,
        )
    household_colours_refresh(
        household_ids=[measure.person.household_id], reason=ColourReason.MEASURE, by=by
    )
    return measure
