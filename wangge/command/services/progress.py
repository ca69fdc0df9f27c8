"""An assignee's way through the lifecycle: acknowledge, start, feedback; the issuer's side:
complete, return for rework, cancel. The legal moves are `command.lifecycle.TRANSITIONS`; every
move is timestamped in the assignment (the first time) and logged with who made it."""

from collections.abc import Sequence
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from wangge.accounts.models import User
from wangge.command import units
from wangge.command.lifecycle import ASSIGNEE, FINAL_STATES, transition_for
from wangge.command.models import Task, TaskAssignment, TaskEvent, TaskFeedback
from wangge.command.permissions import issuer_side
from wangge.command.services.tasks import alert_prefix, attachments_save, task_link
from wangge.core.origin import Origin
from wangge.core.services import audit_record, post_alert

State = TaskAssignment.State


def _refresh_status(task: Task, now: datetime) -> None:
    states = set(task.assignments.values_list("state", flat=True))
    if not states or not states <= FINAL_STATES:
        return
    task.status = Task.Status.COMPLETED if State.COMPLETED in states else Task.Status.CANCELLED
    task.closed_at = now
    task.save(update_fields=["status", "closed_at"])


def _may_act(by: User, assignment: TaskAssignment, side: str) -> bool:
    if side == ASSIGNEE:
        return bool(getattr(by, "is_superuser", False)) or units.is_member(
            by, units.unit_of(assignment)
        )
    return issuer_side(by, assignment.task)


def _apply(
    assignment: TaskAssignment, action: str, by: User, note: str, now: datetime
) -> TaskAssignment:
    transition = transition_for(action, assignment.state)
    if not _may_act(by, assignment, transition.side):
        raise PermissionDenied(
            f"您不能对该承办单位{transition.label} / you may not {transition.english} this "
            "assignment"
        )
    before = assignment.state
    assignment.state = transition.target
    if transition.stamp and getattr(assignment, transition.stamp) is None:
        setattr(assignment, transition.stamp, now)
    assignment.save()
    TaskEvent.objects.create(
        task=assignment.task,
        assignment=assignment,
        action=action,
        from_state=before,
        to_state=transition.target,
        by=by,
        at=now,
        note=note[:500],
    )
    return assignment


def _notify(assignment: TaskAssignment, action: str, by: User) -> None:
    task = assignment.task
    prefix = alert_prefix(task)
    if action == "feedback" and task.issuer_id:
        post_alert(
            [task.issuer],
            "task",
            f"{prefix}{assignment.assignee}已反馈：{task.title}",
            task_link(task),
        )
    elif action in {"return", "cancel"}:
        recipients = units.members([units.unit_of(assignment)])
        verb = "退回重办" if action == "return" else "撤销"
        post_alert(recipients, "task", f"{prefix}交办单被{verb}：{task.title}", task_link(task))


@transaction.atomic
def task_transition(
    *,
    assignment: TaskAssignment,
    action: str,
    by: User,
    note: str = "",
    origin: Origin = Origin.SYSTEM,
) -> TaskAssignment:
    """Move one assignee's part along the lifecycle, or refuse with a bilingual message."""
    assignment = (
        TaskAssignment.objects.select_for_update().select_related("task").get(pk=assignment.pk)
    )
    if action == "feedback":
        raise ValidationError("反馈请用反馈表单 / feedback is submitted with its own form")
    now = timezone.now()
    before = assignment.state
    _apply(assignment, action, by, note, now)
    _refresh_status(assignment.task, now)
    _notify(assignment, action, by)
    audit_record(
        actor=by,
        action="update",
        target=assignment.task,
        changes={"assignment": assignment.pk, "state": [before, assignment.state]},
        reason=note,
        origin=origin,
    )
    return assignment


@transaction.atomic
def task_feedback_submit(
    *,
    assignment: TaskAssignment,
    by: User,
    text: str = "",
    figures: dict[str, float] | None = None,
    files: Sequence[UploadedFile] = (),
    client_id: str = "",
    origin: Origin = Origin.SYSTEM,
) -> TaskFeedback:
    """A report with text, figures and photos. Sent twice with the same client id, stored once."""
    assignment = (
        TaskAssignment.objects.select_for_update().select_related("task").get(pk=assignment.pk)
    )
    client_id = client_id.strip()[:64]
    if client_id:
        earlier = TaskFeedback.objects.filter(assignment=assignment, client_id=client_id).first()
        if earlier is not None:
            return earlier
    text = text.strip()
    figures = figures or {}
    if not text and not files and not figures:
        raise ValidationError({"text": "请填写反馈内容或上传照片 / write a report or add a photo"})
    for key, value in figures.items():
        if not isinstance(value, int | float) or isinstance(value, bool):
            raise ValidationError({"figures": f"“{key}”应为数字 / '{key}' must be a number"})
    now = timezone.now()
    before = assignment.state
    _apply(assignment, "feedback", by, text[:500], now)
    feedback = TaskFeedback.objects.create(
        assignment=assignment,
        by=by,
        text=text,
        figures=figures,
        client_id=client_id,
        created_at=now,
    )
    attachments_save(task=assignment.task, files=files, by=by, feedback=feedback)
    _notify(assignment, "feedback", by)
    audit_record(
        actor=by,
        action="update",
        target=assignment.task,
        changes={
            "assignment": assignment.pk,
            "state": [before, assignment.state],
            "feedback": feedback.pk,
        },
        origin=origin,
    )
    return feedback


@transaction.atomic
def task_cancel(*, task: Task, by: User, note: str = "", origin: Origin = Origin.SYSTEM) -> Task:
    """Cancel every assignee's part that is still open, and so the task."""
    if not issuer_side(by, task):
        raise PermissionDenied("您无权撤销该交办单 / you may not cancel this task")
    if task.status != Task.Status.OPEN:
        raise ValidationError("该交办单已结束 / this task is already closed")
    now = timezone.now()
    for assignment in task.assignments.select_for_update().exclude(state__in=FINAL_STATES):
        assignment.task = task
        _apply(assignment, "cancel", by, note, now)
        _notify(assignment, "cancel", by)
    _refresh_status(task, now)
    audit_record(
        actor=by,
        action="update",
        target=task,
        changes={"status": "cancelled"},
        reason=note,
        origin=origin,
    )
    return task
