"""Starting measures: one person or many, by hand or as the follow-on of another measure."""

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
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
from wangge.measures.services.common import (
    Team,
    default_team,
    record_events,
    require_persons,
    team_assignments,
)
from wangge.people.models import Assignment, Person
from wangge.regions.choices import ColourReason
from wangge.regions.colours import household_colours_refresh

Kind = MeasureEvent.Kind
Status = PersonMeasure.Status


def _slots(measure: PersonMeasure, measure_type: MeasureType, now: datetime) -> list[CheckInSlot]:
    """The check-ins due on each day of the measure, from now on."""
    slots = []
    for offset in range(measure_type.duration_days):
        day = measure.start + timedelta(days=offset)
        for at in measure_type.daily_times:
            due = timezone.make_aware(datetime.combine(day, at))
            if due > now:
                slots.append(CheckInSlot(measure=measure, due_at=due))
    return slots


def _tests(measure: PersonMeasure, measure_type: MeasureType) -> list[MeasureTest]:
    return [
        MeasureTest(measure=measure, day=day, due_on=measure.start + timedelta(days=day - 1))
        for day in sorted(set(measure_type.test_days))
    ]


def start_measures(
    *,
    by: User | None,
    items: list[tuple[Any, Team, PersonMeasure | None]],
    measure_type: MeasureType,
    start: date,
    reason: str,
    plan: str,
    kind: str,
    now: datetime,
) -> list[PersonMeasure]:
    """Create measures (person, team, previous) with their slots, tests and timeline entries."""
    end = start + timedelta(days=measure_type.duration_days)
    measures = [
        PersonMeasure(
            person=person,
            measure_type=measure_type,
            start=start,
            end=end,
            reason=reason,
            plan=plan,
            grid_worker=team.grid_worker,
            doctor=team.doctor,
            police=team.police,
            previous=previous,
            created_by=by if getattr(by, "pk", None) else None,
        )
        for person, team, previous in items
    ]
    try:
        with transaction.atomic():
            PersonMeasure.objects.bulk_create(measures)
    except IntegrityError as error:
        raise ValidationError(
            "其中有人员已在管控中 / some of these persons are already under a measure"
        ) from error
    Assignment.objects.bulk_create(team_assignments(measures))
    CheckInSlot.objects.bulk_create(
        [slot for measure in measures for slot in _slots(measure, measure_type, now)]
    )
    MeasureTest.objects.bulk_create(
        [test for measure in measures for test in _tests(measure, measure_type)]
    )
    actor = by if getattr(by, "pk", None) else None
    record_events(
        [
            MeasureEvent(measure=m, person=m.person, kind=kind, at=now, by=actor, reason=reason)
            for m in measures
        ]
    )
    for measure in measures:
        audit_record(
            actor=by,
            action="create",
            target=measure,
            changes={
                "measure_type": measure_type.name,
                "start": start.isoformat(),
                "end": end.isoformat(),
                "team": [member.pk for member in measure.team],
            },
            reason=reason,
        )
    return measures


@transaction.atomic
def measure_assign(
    *,
    by: User,
    persons: Iterable[Any],
    measure_type: MeasureType,
    start: date,
    reason: str,
    plan: str = "",
    team: Team | None = None,
    origin: Origin = Origin.SYSTEM,
) -> list[PersonMeasure]:
    """Put one or several persons (a household, a building) under a measure, as one action.

    The measure type must belong to a rule set in force on `start`; the end is computed from its
    duration; the team is `team` for everybody, or each person's default team.
    """
    persons = list(persons)
    reason = (reason or "").strip()
    if not persons:
        raise ValidationError({"persons": "请选择人员 / choose at least one person"})
    if not reason:
        raise ValidationError({"reason": "请填写管控原因 / a reason is required"})
    require_persons(by, persons)
    rule_set = measure_type.rule_set
    if not rule_set.in_force_on(start):
        raise ValidationError(
            {
                "measure_type": f"“{measure_type.name}”属于{rule_set.name}，"
                f"{start:%Y-%m-%d}不在其适用期内 / this measure type's rule set is not in force "
                f"on {start:%Y-%m-%d}"
            }
        )
    busy = list(
        PersonMeasure.objects.filter(person__in=persons, status=Status.ACTIVE).values_list(
            "person__name", flat=True
        )
    )
    if busy:
        names = "、".join(busy)
        raise ValidationError({"persons": f"{names} 已在管控中 / already under a measure: {names}"})
    items: list[tuple[Any, Team, PersonMeasure | None]] = [
        (person, team or default_team(person), None) for person in persons
    ]
    measures = start_measures(
        by=by,
        items=items,
        measure_type=measure_type,
        start=start,
        reason=reason,
        plan=(plan or "").strip(),
        kind=Kind.ASSIGNED,
        now=timezone.now(),
    )
    household_colours_refresh(
        household_ids=Person.objects.filter(pk__in=[p.pk for p in persons]).values_list(
            "household_id", flat=True
        ),
        reason=ColourReason.MEASURE,
        by=by,
    )
    return measures
