"""一对一关爱: plans, their carer, the welfare calls and the end of a plan. Every write checks that
`by` may act on the person (edit in their area) or, for calls, is the plan's carer; the carer row is
a people.Assignment written through the people services.

A call that finds the person needing help alerts the community workers and grid workers of the
person's grid at once; `care_alerts_send` is the overdue sweep (teams/tasks.py)."""

import uuid
from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from wangge.accounts.models import User
from wangge.accounts.selectors import community_workers_of, grid_workers_of, users_by_id
from wangge.core.origin import Origin
from wangge.core.roles import Action
from wangge.core.services import audit_record, post_alert
from wangge.people.models import Assignment, Duty, Person
from wangge.people.services import assignment_create, assignment_end
from wangge.teams.models import CallOutcome, CarePlan, CareReason, WelfareCall

ALERT_KIND = "care"


class CallClientIdConflict(ValidationError):
    """The client id names a call someone else stored, or one of another plan."""

    error_code = "client_id_conflict"

    def __init__(self) -> None:
        super().__init__(
            {"client_id": ["该客户端编号已用于其他记录 / this client id belongs to another call"]}
        )


def carer_assignments(plan_ids: list[int]) -> dict[int, Assignment]:
    """Plan id → its active carer assignment (holder user or person selected)."""
    rows = (
        Assignment.objects.active()
        .filter(source=Assignment.Source.CARE, duty=Duty.CARE_GIVER, source_id__in=plan_ids)
        .select_related("holder_user", "holder_person")
        .order_by("started", "pk")
    )
    return {row.source_id: row for row in rows if row.source_id is not None}


def plan_link(plan: CarePlan | int) -> str:
    return reverse("teams:care_plan", args=[plan if isinstance(plan, int) else plan.pk])


def _require_edit(by: User, plan: CarePlan) -> None:
    if not CarePlan.objects.restrict(by, Action.EDIT).filter(pk=plan.pk).exists():
        raise PermissionDenied("您无权管理该关爱对象 / you may not manage this care plan")


@transaction.atomic
def care_plan_create(
    *,
    by: User,
    person: Person,
    reason: str,
    interval_hours: int,
    carer: User | Person,
    note: str = "",
    started: date | None = None,
    origin: Origin = Origin.SYSTEM,
) -> CarePlan:
    """Put `person` (in `by`'s area) under one-to-one care by `carer`, called every
    `interval_hours`. One open plan per person."""
    if not Person.objects.restrict(by, Action.EDIT).filter(pk=person.pk).exists():
        raise PermissionDenied("您无权管理该人员 / you may not manage this person")
    if reason not in CareReason.values:
        raise ValidationError({"reason": "未知关爱原因 / unknown reason"})
    if not 1 <= interval_hours <= 24 * 30:
        raise ValidationError(
            {"interval_hours": "回访间隔应为 1 到 720 小时 / the interval must be 1 to 720 hours"}
        )
    if CarePlan.objects.filter(person=person, ended__isnull=True).exists():
        raise ValidationError({"person": "该人员已有关爱计划 / this person already has a plan"})
    plan = CarePlan.objects.create(
        person=person,
        reason=reason,
        interval_hours=interval_hours,
        note=note.strip(),
        started=started or timezone.localdate(),
        created_by=by,
    )
    assignment_create(
        by=by,
        target=person,
        holder=carer,
        duty=Duty.CARE_GIVER,
        source=Assignment.Source.CARE,
        source_id=plan.pk,
        started=plan.started,
        origin=origin,
    )
    audit_record(
        actor=by,
        action="create",
        target=plan,
        changes={"reason": reason, "interval_hours": interval_hours, "carer": str(carer)},
        origin=origin,
    )
    return plan


@transaction.atomic
def care_plan_carer_change(
    *, by: User, plan: CarePlan, carer: User | Person, origin: Origin = Origin.SYSTEM
) -> Assignment:
    """Hand the plan to another carer: the current carer's assignment ends today."""
    _require_edit(by, plan)
    if plan.ended is not None:
        raise ValidationError("该关爱计划已结束 / this plan has ended")
    current = carer_assignments([plan.pk]).get(plan.pk)
    if current is not None:
        if carer in (current.holder_user, current.holder_person):
            raise ValidationError({"carer": "已是该计划的关爱人 / already the carer"})
        assignment_end(by=by, assignment=current, origin=origin)
    return assignment_create(
        by=by,
        target=plan.person,
        holder=carer,
        duty=Duty.CARE_GIVER,
        source=Assignment.Source.CARE,
        source_id=plan.pk,
        origin=origin,
    )


@transaction.atomic
def care_plan_end(
    *,
    by: User,
    plan: CarePlan,
    on: date | None = None,
    reason: str = "",
    origin: Origin = Origin.SYSTEM,
) -> CarePlan:
    """End the plan and its carer's assignment on `on` (today)."""
    _require_edit(by, plan)
    plan = CarePlan.objects.select_for_update().get(pk=plan.pk)
    if plan.ended is not None:
        raise ValidationError("该关爱计划已结束 / this plan has ended")
    plan.ended = max(on or timezone.localdate(), plan.started)
    plan.save(update_fields=["ended"])
    current = carer_assignments([plan.pk]).get(plan.pk)
    if current is not None:
        assignment_end(by=by, assignment=current, on=plan.ended, origin=origin)
    audit_record(
        actor=by,
        action="update",
        target=plan,
        changes={"ended": [None, str(plan.ended)]},
        reason=reason,
        origin=origin,
    )
    return plan


def _may_call(by: User, plan: CarePlan) -> bool:
    """The plan's carer, or someone who may change the person (their area)."""
    carer = Assignment.objects.held_by(by).filter(
        source=Assignment.Source.CARE, duty=Duty.CARE_GIVER, source_id=plan.pk
    )
    return (
        carer.exists()
        or Person.objects.restrict(by, Action.EDIT).filter(pk=plan.person_id).exists()
    )


def _help_alert(plan: CarePlan, call: WelfareCall) -> None:
    household = plan.person.household
    if household is None:
        return
    grid = household.grid
    ids = community_workers_of([grid.community_id]).get(grid.community_id, [])
    ids += grid_workers_of([grid.pk]).get(grid.pk, [])
    text = f"关爱对象需要帮助：{plan.person.name}（{plan.get_reason_display()}）"
    if call.follow_up:
        text += f"：{call.follow_up}"
    post_alert(users_by_id(ids).values(), ALERT_KIND, text, plan_link(plan))


@transaction.atomic
def call_log(
    *,
    by: User,
    plan: CarePlan,
    outcome: str,
    at: datetime | None = None,
    note: str = "",
    follow_up: str = "",
    client_id: uuid.UUID | None = None,
    origin: Origin = Origin.SYSTEM,
) -> tuple[WelfareCall, bool]:
    """Log one welfare call by the carer or a worker of the area; (call, created). A phone that
    sends the same client id again gets the stored call back. A call cannot be in the future nor
    before the plan started; "needs help" alerts the community and grid workers."""
    if not _may_call(by, plan):
        raise PermissionDenied("您不是该对象的关爱人 / you are not this person's carer")
    if client_id is not None:
        stored = WelfareCall.objects.filter(client_id=client_id).first()
        if stored is not None:
            if stored.plan_id != plan.pk or stored.by_id != by.pk:
                raise CallClientIdConflict()
            return stored, False
    if outcome not in CallOutcome.values:
        raise ValidationError({"outcome": "未知结果 / unknown outcome"})
    now = timezone.now()
    at = at or now
    if at > now:
        raise ValidationError({"at": "联系时间不能晚于现在 / the call cannot be in the future"})
    if plan.ended is not None or timezone.localdate(at) < plan.started:
        raise ValidationError({"at": "不在关爱期内 / the plan is not in force at that time"})
    if outcome == CallOutcome.HELP and not follow_up.strip():
        raise ValidationError({"follow_up": "需要帮助时请写明需要什么 / say what help is needed"})
    call = WelfareCall.objects.create(
        plan=plan,
        at=at,
        by=by,
        outcome=outcome,
        note=note.strip()[:500],
        follow_up=follow_up.strip()[:500],
        client_id=client_id,
    )
    if outcome == CallOutcome.HELP:
        _help_alert(plan, call)
    audit_record(
        actor=by,
        action="create",
        target=call,
        changes={"plan": plan.pk, "outcome": outcome, "at": at.isoformat()},
        origin=origin,
    )
    return call, True


def _overdue_due(plan: CarePlan, now: datetime) -> datetime | None:
    """The due time of the overdue period `now` falls in (the first missed due time, then one
    interval later each further period), or None when the plan is not overdue."""
    due = plan.due_at(plan.last_reached)  # type: ignore[attr-defined]  # annotated by with_calls
    if now < due:
        return None
    return due + plan.interval * ((now - due) // plan.interval)


@transaction.atomic
def care_alerts_send(*, now: datetime | None = None) -> int:
    """Alert the carer and the community workers of every plan overdue for a call, once per
    overdue period: one alert per recipient listing their overdue persons. Returns the number
    of plans alerted. The plans are locked, so two sweeps at once alert once."""
    now = now or timezone.now()
    candidates = {}
    for plan in CarePlan.objects.active().with_calls():
        due = _overdue_due(plan, now)
        if due is not None and (plan.alerted_due is None or plan.alerted_due < due):
            candidates[plan.pk] = due
    plans = list(
        CarePlan.objects.select_for_update(of=("self",))
        .filter(pk__in=list(candidates))
        .select_related("person__household__grid")
        .order_by("pk")
    )
    plans = [p for p in plans if p.alerted_due is None or p.alerted_due < candidates[p.pk]]
    if not plans:
        return 0
    for plan in plans:
        plan.alerted_due = candidates[plan.pk]
    CarePlan.objects.bulk_update(plans, ["alerted_due"])
    carers = carer_assignments([plan.pk for plan in plans])
    communities = {p.person.household.grid.community_id for p in plans if p.person.household_id}
    workers = community_workers_of(communities)
    names: dict[int, list[str]] = {}
    for plan in plans:
        recipients = set()
        carer = carers.get(plan.pk)
        if carer is not None and carer.holder_user_id:
            recipients.add(carer.holder_user_id)
        if plan.person.household_id:
            recipients.update(workers.get(plan.person.household.grid.community_id, []))
        for user_id in recipients:
            names.setdefault(user_id, []).append(plan.person.name)
    users = users_by_id(names)
    link = reverse("teams:care")
    for user_id, persons in sorted(names.items()):
        if user_id in users:
            text = f"{len(persons)} 位关爱对象超时未联系：{'、'.join(persons)}"
            post_alert([users[user_id]], ALERT_KIND, text, link)
    audit_record(
        actor=None,
        action="update",
        target_type=CarePlan._meta.label_lower,
        target_label=f"超时提醒 {len(plans)} 个 / {len(plans)} overdue plans alerted",
        changes={"plans": [plan.pk for plan in plans]},
    )
    return len(plans)
