"""The deadline sweep, run every minute by the scheduler: missed task stages and overdue
verification rows.

Set-based: a handful of queries whatever the number of late items. Idempotent: an escalation is a
row unique per (assignment, stage, level), and a row's overdue alert is a timestamp set by one
UPDATE; each sweep alerts only for what it itself inserted or updated (marked with its token), so a
second run — or a second worker running at the same moment — alerts nobody twice.
"""

from collections import defaultdict
from datetime import datetime, timedelta
from typing import Any
from uuid import uuid4

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from wangge.accounts.models import RoleAssignment, User
from wangge.command import units
from wangge.command.lifecycle import ACTIVE_STATES, STAGE_FIELDS
from wangge.command.models import (
    Task,
    TaskAssignment,
    TaskEscalation,
    VerificationList,
    VerificationRow,
)
from wangge.core.roles import Role
from wangge.core.services import post_alert

Stage = TaskEscalation.Stage
Level = TaskEscalation.Level


def _open_assignments() -> Any:
    return TaskAssignment.objects.filter(state__in=ACTIVE_STATES, task__status=Task.Status.OPEN)


def _escalated(stage: str, level: str) -> Exists:
    return Exists(
        TaskEscalation.objects.filter(assignment=OuterRef("pk"), stage=stage, level=level)
    )


def _still_missed() -> Q:
    condition = Q()
    for stage, (done, _due) in STAGE_FIELDS.items():
        condition |= Q(stage=stage, **{f"assignment__{done}__isnull": True})
    return condition


def _insert(pairs: list[tuple[int, str]], level: str, now: datetime, token: str) -> None:
    TaskEscalation.objects.bulk_create(
        [
            TaskEscalation(assignment_id=pk, stage=stage, level=level, at=now, sweep=token)
            for pk, stage in pairs
        ],
        ignore_conflicts=True,
    )


def _alert_escalations(token: str) -> int:
    """One alert per recipient for everything this sweep escalated to them."""
    inserted = list(
        TaskEscalation.objects.filter(sweep=token).select_related(
            "assignment__task",
            "assignment__community",
            "assignment__grid",
            "assignment__department",
            "assignment__user",
        )
    )
    pairs = {
        (units.unit_of(e.assignment), e.assignment.task.street_id)
        for e in inserted
        if e.level == Level.SUPERIOR
    }
    superior = units.superiors(pairs)
    superior_members = units.member_ids(set(superior.values()))
    by_recipient: dict[int, list[TaskEscalation]] = defaultdict(list)
    for escalation in inserted:
        task = escalation.assignment.task
        if escalation.level == Level.ISSUER:
            recipients = [task.issuer_id] if task.issuer_id else []
        else:
            boss = superior.get((units.unit_of(escalation.assignment), task.street_id))
            recipients = superior_members.get(boss, []) if boss else []
            if not recipients and task.issuer_id:
                recipients = [task.issuer_id]
        for user_id in recipients:
            by_recipient[user_id].append(escalation)

    people = User.objects.in_bulk(list(by_recipient))
    for user_id, escalations in by_recipient.items():
        first = escalations[0]
        task = first.assignment.task
        prefix = "【演练】" if task.drill else ""
        text = f"{prefix}超时未{first.get_stage_display()}：{task.title}（{first.assignment.assignee}）"
        link = reverse("command:task_detail", args=[task.pk])
        if len(escalations) > 1:
            text = f"{len(escalations)}项交办超时，最早：{text}"
            link = reverse("command:board") + "?late=1"
        post_alert([people[user_id]], "task_late", text, link)
    return len(inserted)


def _escalate_tasks(now: datetime, token: str) -> int:
    for stage, (done, due) in STAGE_FIELDS.items():
        late = (
            _open_assignments()
            .filter(**{f"{done}__isnull": True, f"{due}__lt": now})
            .exclude(_escalated(stage, Level.SUPERIOR))
            .values_list("pk", flat=True)
        )
        _insert([(pk, stage) for pk in late], Level.SUPERIOR, now, token)
    delay = timedelta(seconds=settings.WANGGE["TASK_ISSUER_ESCALATION_SECONDS"])
    issuer_due = (
        TaskEscalation.objects.filter(
            _still_missed(),
            level=Level.SUPERIOR,
            at__lte=now - delay,
            assignment__state__in=ACTIVE_STATES,
            assignment__task__status=Task.Status.OPEN,
        )
        .exclude(
            Exists(
                TaskEscalation.objects.filter(
                    assignment=OuterRef("assignment"), stage=OuterRef("stage"), level=Level.ISSUER
                )
            )
        )
        .values_list("assignment_id", "stage")
    )
    _insert(list(issuer_due), Level.ISSUER, now, token)
    return _alert_escalations(token)


def _alert_overdue_rows(token: str) -> int:
    """Per list: each assignee (or the pool when nobody is assigned) and the importer hear how many
    of their rows are overdue."""
    rows = VerificationRow.objects.filter(overdue_sweep=token)
    counts = list(
        rows.order_by()
        .values("list_id", "assignee_id", "pool", "community_id", "list__street_id")
        .annotate(n=Count("pk"))
    )
    pools = set()
    for count in counts:
        if count["assignee_id"] is None:
            if count["pool"] == VerificationRow.Pool.TRACERS:
                pools.add(("tracers", count["list__street_id"]))
            elif count["community_id"]:
                pools.add((units.COMMUNITY, count["community_id"]))
    pool_members = _pool_members(pools)
    lists = VerificationList.objects.in_bulk({c["list_id"] for c in counts})
    recipients: dict[tuple[int, int], int] = defaultdict(int)  # (list, user) → overdue rows
    for count in counts:
        vlist = lists[count["list_id"]]
        if count["assignee_id"]:
            targets = [count["assignee_id"]]
        elif count["pool"] == VerificationRow.Pool.TRACERS:
            targets = pool_members.get(("tracers", count["list__street_id"]), [])
        else:
            targets = pool_members.get((units.COMMUNITY, count["community_id"]), [])
        for user_id in {*targets, vlist.created_by_id} - {None}:
            recipients[(vlist.pk, user_id)] += count["n"]

    people = User.objects.in_bulk({user_id for _list, user_id in recipients})
    for (list_id, user_id), n in recipients.items():
        post_alert(
            [people[user_id]],
            "verification_overdue",
            f"协查名单《{lists[list_id].title}》有{n}条逾期未反馈",
            reverse("command:verification_detail", args=[list_id]) + "?overdue=1",
        )
    return rows.count()


def _pool_members(pools: set[tuple[str, int]]) -> dict[tuple[str, int], list[int]]:

    found: dict[tuple[str, int], list[int]] = defaultdict(list)
    streets = {pk for kind, pk in pools if kind == "tracers"}
    for street_id, user_id in RoleAssignment.objects.filter(
        role=Role.TRACER, street_id__in=streets, user__is_active=True
    ).values_list("street_id", "user_id"):
        found[("tracers", street_id)].append(user_id)
    communities = {units.Unit(units.COMMUNITY, pk) for kind, pk in pools if kind != "tracers"}
    for unit, user_ids in units.member_ids(communities).items():
        found[(units.COMMUNITY, unit.pk)] = user_ids
    return found


def _mark_overdue_rows(now: datetime, token: str) -> int:
    return (
        VerificationRow.objects.open()
        .filter(
            due_at__lt=now,
            overdue_alerted_at__isnull=True,
            list__status=VerificationList.Status.READY,
        )
        .update(overdue_alerted_at=now, overdue_sweep=token)
    )


@transaction.atomic
def deadline_sweep(*, now: datetime | None = None) -> dict[str, int]:
    """Alert superiors (then issuers) of missed task stages and assignees of overdue rows."""
    now = now or timezone.now()
    token = uuid4().hex
    escalations = _escalate_tasks(now, token)
    overdue = _alert_overdue_rows(token) if _mark_overdue_rows(now, token) else 0
    return {"escalations": escalations, "overdue_rows": overdue}
