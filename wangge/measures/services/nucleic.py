"""Nucleic tests due during a measure: recording a result closes the matching due item."""

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from wangge.accounts.models import User
from wangge.core.roles import Action
from wangge.core.services import audit_record, post_alert
from wangge.measures.models import MeasureTest, PersonMeasure
from wangge.measures.services.checkins import alert_recipients
from wangge.measures.services.common import is_team_member, measure_link

Result = MeasureTest.Result
_ALERTING: dict[str, str] = {Result.POSITIVE: "阳性", Result.PENDING_REVIEW: "待复核"}


def _may_record(by: User, measure: PersonMeasure) -> bool:
    if is_team_member(by, measure):
        return True
    visible = PersonMeasure.objects.filter(pk=measure.pk)
    return any(visible.restrict(by, action).exists() for action in (Action.EDIT, Action.IMPORT))


def _matching_item(measure: PersonMeasure, sampled_on: date) -> MeasureTest:
    """The item a result for `sampled_on` closes: the one already holding that sample (a result
    under review being settled), else the open item due that day, else the latest open item due
    before it (a late test), else a new unscheduled item."""
    tests = MeasureTest.objects.select_for_update().filter(measure=measure)
    item = (
        tests.filter(sampled_on=sampled_on).order_by("-id").first()
        or tests.filter(result="", due_on=sampled_on).first()
        or tests.filter(result="", due_on__lt=sampled_on).order_by("-due_on").first()
    )
    return item or MeasureTest(measure=measure, day=None, due_on=sampled_on)


@transaction.atomic
def measure_test_record(
    *,
    by: User | None,
    person: Any,
    sampled_on: date,
    result: str,
    source: str = MeasureTest.Source.MANUAL,
) -> MeasureTest | None:
    """Record a test result of a person under a measure; None when the person is under none.

    Closes the matching due item of the active measure (see _matching_item). A positive result,
    or one pending review, alerts the team at once.
    """
    if result not in Result.values:
        raise ValidationError({"result": f"未知结果 / unknown result: {result}"})
    if source not in MeasureTest.Source.values:
        raise ValidationError({"source": f"未知来源 / unknown source: {source}"})
    if sampled_on > timezone.localdate():
        raise ValidationError({"sampled_on": "采样日期不能在未来 / sampling date in the future"})
    measure = (
        PersonMeasure.objects.select_related("person__household", "measure_type")
        .filter(person=person, status=PersonMeasure.Status.ACTIVE)
        .first()
    )
    if measure is None:
        return None
    if by is not None and not _may_record(by, measure):
        raise PermissionDenied(
            "您无权登记该人员的核酸结果 / you may not record this person's tests"
        )
    item = _matching_item(measure, sampled_on)
    previous = item.result
    item.result = result
    item.sampled_on = sampled_on
    item.source = source
    item.recorded_by = by if getattr(by, "pk", None) else None
    item.recorded_at = timezone.now()
    item.save()
    audit_record(
        actor=by,
        action="update" if previous else "create",
        target=item,
        changes={"result": [previous, result], "sampled_on": sampled_on.isoformat()},
    )
    if result in _ALERTING and previous != result:
        text = f"核酸{_ALERTING[result]}：{measure.person.name}（{sampled_on:%m-%d}采样）"
        post_alert(alert_recipients(measure), "measure_test", text, measure_link(measure))
    return item
