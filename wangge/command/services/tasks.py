"""交办单: issue a task to several units, move each assignee through the lifecycle, take feedback.

Deadlines of each stage are counted from the moment of issue with the task kind's seconds (1510:
acknowledge in 60 s, start in 300 s, first feedback in 600 s). The table of legal transitions is
`command.lifecycle`; the scheduler's sweep (`services/escalation.py`) reports missed stages.
"""

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from wangge.accounts.authority import areas_held, holds
from wangge.accounts.models import User
from wangge.command import units
from wangge.command.models import (
    Department,
    Task,
    TaskAssignment,
    TaskAttachment,
    TaskEvent,
    TaskFeedback,
    TaskKind,
)
from wangge.command.permissions import may_assign
from wangge.command.uploads import checked_upload
from wangge.core.origin import Origin
from wangge.core.roles import Action
from wangge.core.services import audit_record, post_alert
from wangge.regions.models import Community, Grid, Street

State = TaskAssignment.State


def _assignee_fields(assignee: Any) -> dict[str, Any]:
    if isinstance(assignee, Community):
        return {"community": assignee}
    if isinstance(assignee, Grid):
        return {"grid": assignee}
    if isinstance(assignee, Department):
        return {"department": assignee}
    if isinstance(assignee, User):
        return {"user": assignee}
    raise ValidationError(
        "承办单位只能是社区、网格、部门或人员 / an assignee must be a community, grid, "
        "department or person"
    )


def _street_of(assignees: Sequence[Any], by: User) -> Street | None:
    for assignee in assignees:
        if isinstance(assignee, Community):
            return assignee.street
        if isinstance(assignee, Grid):
            return assignee.community.street
    streets = {street.pk: street for street in areas_held(by, Action.EDIT, Street)}
    for community in areas_held(by, Action.EDIT, Community).select_related("street"):
        streets.setdefault(community.street_id, community.street)
    return next(iter(streets.values())) if len(streets) == 1 else None


def attachments_save(
    *,
    task: Task,
    files: Iterable[UploadedFile],
    by: User | None,
    feedback: TaskFeedback | None = None,
) -> list[TaskAttachment]:
    """Check and store uploaded files (inside the caller's transaction)."""
    saved = []
    for upload in files:
        content_type = checked_upload(upload)
        attachment = TaskAttachment(
            task=task,
            feedback=feedback,
            original_name=(upload.name or "")[:200],
            content_type=content_type,
            size=upload.size or 0,
            uploaded_by=by,
        )
        attachment.file.save(upload.name, upload, save=False)
        attachment.save()
        saved.append(attachment)
    return saved


def task_link(task: Task) -> str:
    return reverse("command:task_detail", args=[task.pk])


def alert_prefix(task: Task) -> str:
    return "【演练】" if task.drill else ""


@transaction.atomic
def task_create(
    *,
    by: User,
    street: Street,
    kind: TaskKind,
    title: str,
    assignees: Sequence[Any],
    description: str = "",
    priority: str = Task.Priority.NORMAL,
    due_at: datetime | None = None,
    drill: bool = False,
    direction: str = Task.Direction.DOWN,
    origin_community: Community | None = None,
    event: Any = None,
    bundle: Any = None,
    files: Iterable[UploadedFile] = (),
    note: str = "",
    origin: Origin = Origin.SYSTEM,
) -> Task:
    """Write a task and its assignments and alert the assignees. Callers check permissions and
    hold the transaction (task_issue, whistle_blow, playbook_instantiate)."""
    title = title.strip()
    if not title:
        raise ValidationError({"title": "请填写标题 / a title is required"})
    unique = list({(type(a), a.pk): a for a in assignees}.values())
    if not unique:
        raise ValidationError(
            {"assignees": "请至少选择一个承办单位 / choose at least one assignee"}
        )
    if priority not in Task.Priority.values:
        raise ValidationError({"priority": "未知紧急程度 / unknown priority"})
    now = timezone.now()
    if due_at is None and kind.completion_seconds:
        due_at = now + timedelta(seconds=kind.completion_seconds)
    if due_at is not None and due_at <= now:
        raise ValidationError({"due_at": "办结时限须晚于现在 / the due time must be in the future"})
    task = Task.objects.create(
        street=street,
        origin_community=origin_community,
        kind=kind,
        title=title[:200],
        description=description.strip(),
        priority=priority,
        direction=direction,
        drill=drill,
        issuer=by if getattr(by, "pk", None) else None,
        issued_at=now,
        due_at=due_at,
        event=event,
        bundle=bundle,
    )
    assignments = TaskAssignment.objects.bulk_create(
        [
            TaskAssignment(
                task=task,
                ack_due_at=now + timedelta(seconds=kind.ack_seconds),
                start_due_at=now + timedelta(seconds=kind.start_seconds),
                feedback_due_at=now + timedelta(seconds=kind.feedback_seconds),
                due_at=due_at,
                **_assignee_fields(assignee),
            )
            for assignee in unique
        ]
    )
    actor = by if getattr(by, "pk", None) else None
    TaskEvent.objects.create(
        task=task, action="issue", to_state=State.ISSUED, by=actor, at=now, note=note[:500]
    )
    attachments_save(task=task, files=files, by=actor)
    recipients = units.members(units.unit_of(a) for a in assignments)
    post_alert(
        recipients,
        "task",
        f"{alert_prefix(task)}新{task.get_direction_display()}：{title}",
        task_link(task),
    )
    audit_record(
        actor=by,
        action="create",
        target=task,
        changes={
            "kind": kind.code,
            "assignees": [str(a) for a in unique],
            "drill": drill,
            "direction": direction,
        },
        origin=origin,
    )
    return task


@transaction.atomic
def task_issue(
    *,
    by: User,
    kind: TaskKind,
    title: str,
    assignees: Sequence[Any],
    street: Street | None = None,
    description: str = "",
    priority: str = Task.Priority.NORMAL,
    due_at: datetime | None = None,
    drill: bool = False,
    event: Any = None,
    files: Iterable[UploadedFile] = (),
    origin: Origin = Origin.SYSTEM,
) -> Task:
    """Issue a task (or a drill) downward. Each assignee must lie within what `by` may direct."""
    street = street or _street_of(assignees, by)
    if street is None:
        raise ValidationError({"street": "请指定街道 / choose the street"})
    refused = [str(a) for a in assignees if not may_assign(by, a, street)]
    if refused:
        raise PermissionDenied(
            f"您无权向以下单位交办：{'、'.join(refused)} / you may not assign tasks to: "
            f"{', '.join(refused)}"
        )
    return task_create(
        by=by,
        street=street,
        kind=kind,
        title=title,
        assignees=assignees,
        description=description,
        priority=priority,
        due_at=due_at,
        drill=drill,
        event=event,
        files=files,
        origin=origin,
    )


def may_issue(user: User) -> bool:
    """Whether the user directs any area (a commander, a community worker, a grid worker with
    small grids) and so may issue tasks at all."""

    return (
        holds(user, Action.EDIT, None)
        or areas_held(user, Action.EDIT, Street).exists()
        or areas_held(user, Action.EDIT, Community).exists()
    )
