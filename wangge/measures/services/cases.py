"""病例: report a confirmed, asymptomatic or suspected case. The case gets the measure its rules
name (the rule set in force on the day it was reported), its household turns red with that
measure, and the command centre receives an event."""

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from wangge.accounts.models import User
from wangge.command.services.events import event_raise
from wangge.core.services import audit_record
from wangge.measures.models import Case, MeasureType, PersonMeasure
from wangge.measures.services.assign import measure_assign
from wangge.measures.services.common import require_persons
from wangge.measures.services.release import measure_transfer

APPLIES_TO = {
    Case.Kind.CONFIRMED: MeasureType.AppliesTo.CASE,
    Case.Kind.ASYMPTOMATIC: MeasureType.AppliesTo.CASE,
    Case.Kind.SUSPECTED: MeasureType.AppliesTo.SUSPECTED_CASE,
}
EVENT_KIND = "case"


def case_measure_type(kind: str, on: date) -> MeasureType | None:
    """The measure type the rule sets in force on `on` name for a case of this kind, a local
    rule set before a national one (as for arrivals); None when no rule set names one."""
    return (
        MeasureType.objects.in_force(on)
        .filter(applies_to=APPLIES_TO[Case.Kind(kind)])
        .select_related("rule_set")
        .order_by("rule_set__kind", "-rule_set__effective_from", "pk")
        .first()
    )


def _check(person: Any, kind: str, reported_on: date) -> None:
    if kind not in Case.Kind.values:
        raise ValidationError({"kind": f"未知病例类别“{kind}” / unknown case kind '{kind}'"})
    if reported_on > timezone.localdate():
        raise ValidationError(
            {"reported_on": "报告日期不能晚于今天 / the report date cannot be in the future"}
        )
    if Case.objects.filter(person=person, kind=kind).exists():
        label = Case.Kind(kind).label
        raise ValidationError(
            {"kind": f"{person.name}已报告为{label} / this person was already reported as {kind}"}
        )


def _measure(
    *, person: Any, kind: str, measure_type: MeasureType, reported_on: date, by: User, request: Any
) -> PersonMeasure:
    """The running measure if it is already of that type; else a transfer from the running one;
    else a new measure from the report date."""
    label = Case.Kind(kind).label
    running = PersonMeasure.objects.filter(
        person=person, status=PersonMeasure.Status.ACTIVE
    ).first()
    if running is not None and running.measure_type_id == measure_type.pk:
        return running
    if running is not None:
        measure_transfer(
            by=by,
            measure=running,
            reason=f"报告为{label}",
            destination=measure_type.name,
            measure_type=measure_type,
            request=request,
        )
        return PersonMeasure.objects.get(person=person, status=PersonMeasure.Status.ACTIVE)
    (measure,) = measure_assign(
        by=by,
        persons=[person],
        measure_type=measure_type,
        start=reported_on,
        reason=f"{label}（{reported_on:%Y-%m-%d}报告）",
        request=request,
    )
    return measure


@transaction.atomic
def case_report(
    *,
    person: Any,
    kind: str,
    reported_on: date,
    by: User,
    source_result: Any = None,
    source_event: Any = None,
    note: str = "",
    request: HttpRequest | None = None,
) -> Case:
    """Record a case of `person`; put them under the measure the rules of `reported_on` name
    (their household's colour follows), and raise the command-centre event. When no rule set in
    force on that day names a measure for this kind of case, the case is recorded without one."""
    require_persons(by, [person])
    _check(person, kind, reported_on)
    measure_type = case_measure_type(kind, reported_on)
    measure = None
    if measure_type is not None:
        measure = _measure(
            person=person,
            kind=kind,
            measure_type=measure_type,
            reported_on=reported_on,
            by=by,
            request=request,
        )
    label = Case.Kind(kind).label
    event = event_raise(
        kind=EVENT_KIND,
        title=f"新增{label}：{person.name}",
        persons=[person],
        household=person.household,
        source=f"病例报告 / case report {reported_on:%Y-%m-%d}",
        by=by,
        description=(note or "").strip(),
        request=request,
    )
    case = Case.objects.create(
        person=person,
        kind=kind,
        reported_on=reported_on,
        source_result=source_result,
        source_event=source_event,
        measure=measure,
        raised_event=event,
        note=(note or "").strip()[:300],
        recorded_by=by if getattr(by, "pk", None) else None,
    )
    audit_record(
        actor=by,
        action="create",
        target=case,
        changes={
            "kind": kind,
            "reported_on": reported_on.isoformat(),
            "measure_type": measure_type.name if measure_type else "",
            "source_result": getattr(source_result, "pk", None),
            "source_event": getattr(source_event, "pk", None),
        },
        request=request,
    )
    return case
