"""诉求, the staff's side: take a request, mark it in progress, close it as done (with a reply) or
declined (with a reason), turn it into a command-centre task; and the sweep that escalates the
requests no one took within `WANGGE["REQUEST_TAKE_MINUTES"]` to the community, once each.

Staff act on the requests they may EDIT (`HelpRequest.objects.restrict(by, "edit")`): a grid worker
on their grid's, a community worker on their community's. Each step is one transaction, audited,
on the request's timeline, and the resident's account is told nothing by push: they read the
timeline on the request's page."""

from datetime import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from wangge.accounts.models import User
from wangge.command.models import TaskKind
from wangge.command.services.tasks import task_issue
from wangge.core.origin import Origin
from wangge.core.roles import Action
from wangge.core.services import audit_record, post_alert
from wangge.residents.models import (
    HelpRequest,
    RequestEvent,
    RequestLevel,
    RequestStatus,
)
from wangge.residents.request_selectors import take_deadline
from wangge.residents.services.requests import community_workers, event_add, staff_link

Step = RequestEvent.Step
TASK_KIND = "routine"


def _editable(by: User, help_request: HelpRequest) -> HelpRequest:
    if not HelpRequest.objects.restrict(by, Action.EDIT).filter(pk=help_request.pk).exists():
        raise PermissionDenied("无权办理该诉求 / you may not handle this request")
    return HelpRequest.objects.select_for_update().get(pk=help_request.pk)


def _open(help_request: HelpRequest) -> None:
    if not help_request.is_open:
        raise ValidationError(
            {
                "status": f"该诉求已{help_request.get_status_display()} / the request is already closed"
            }
        )


def _audit(
    by: User, help_request: HelpRequest, action: str, origin: Origin, **changes: object
) -> None:
    audit_record(
        actor=by,
        action=f"request.{action}",
        target=help_request,
        changes={"status": help_request.status, **changes},
        origin=origin,
    )


def _take(help_request: HelpRequest, by: User) -> None:
    if help_request.taken_at is None:
        help_request.taken_at = timezone.now()
        help_request.taken_by = by


@transaction.atomic
def request_take(
    *, by: User, help_request: HelpRequest, origin: Origin = Origin.SYSTEM
) -> HelpRequest:
    """已受理: a worker takes a request waiting to be taken."""
    help_request = _editable(by, help_request)
    if help_request.status != RequestStatus.SUBMITTED:
        raise ValidationError(
            {
                "status": f"该诉求已{help_request.get_status_display()} / the request was already taken"
            }
        )
    _take(help_request, by)
    help_request.status = RequestStatus.TAKEN
    help_request.save(update_fields=["status", "taken_at", "taken_by"])
    event_add(help_request, Step.TAKEN, user=by)
    _audit(by, help_request, "take", origin)
    return help_request


@transaction.atomic
def request_progress(
    *, by: User, help_request: HelpRequest, note: str = "", origin: Origin = Origin.SYSTEM
) -> HelpRequest:
    """办理中: the worker says the request is being done (optional step, a note for the resident)."""
    help_request = _editable(by, help_request)
    _open(help_request)
    _take(help_request, by)
    help_request.status = RequestStatus.IN_PROGRESS
    help_request.save(update_fields=["status", "taken_at", "taken_by"])
    event_add(help_request, Step.PROGRESS, user=by, note=note.strip())
    _audit(by, help_request, "progress", origin)
    return help_request


def _close(
    by: User, help_request: HelpRequest, status: str, step: str, text: str, origin: Origin
) -> HelpRequest:
    help_request = _editable(by, help_request)
    _open(help_request)
    _take(help_request, by)
    help_request.status = status
    help_request.reply = text
    help_request.closed_at = timezone.now()
    help_request.save(update_fields=["status", "reply", "closed_at", "taken_at", "taken_by"])
    event_add(help_request, step, user=by, note=text)
    _audit(by, help_request, step, origin)
    return help_request


@transaction.atomic
def request_done(
    *, by: User, help_request: HelpRequest, reply: str, origin: Origin = Origin.SYSTEM
) -> HelpRequest:
    """已办结, with a reply the resident reads (what was done)."""
    reply = reply.strip()[:1000]
    if not reply:
        raise ValidationError({"reply": "请填写办理结果 / say what was done"})
    return _close(by, help_request, RequestStatus.DONE, Step.DONE, reply, origin)


@transaction.atomic
def request_decline(
    *, by: User, help_request: HelpRequest, reason: str, origin: Origin = Origin.SYSTEM
) -> HelpRequest:
    """无法办理, with the reason the resident reads."""
    reason = reason.strip()[:1000]
    if not reason:
        raise ValidationError({"reason": "请填写无法办理的原因 / give the reason"})
    return _close(by, help_request, RequestStatus.DECLINED, Step.DECLINED, reason, origin)


@transaction.atomic
def request_make_task(
    *, by: User, help_request: HelpRequest, origin: Origin = Origin.SYSTEM
) -> HelpRequest:
    """转为交办单: a routine task to the request's grid, issued by `by` (who must be allowed to
    task that grid, command.permissions), linked to the request. The task's own lifecycle is the
    command centre's; closing the request stays a step of its own."""
    help_request = _editable(by, help_request)
    _open(help_request)
    if help_request.task_id is not None:
        raise ValidationError({"task": "该诉求已转为交办单 / already turned into a task"})
    task = task_issue(
        by=by,
        kind=TaskKind.objects.get(code=TASK_KIND),
        title=f"居民诉求：{help_request.get_kind_display()} · {help_request.household}",
        assignees=[help_request.grid],
        street=help_request.grid.community.street,
        description=help_request.text,
        origin=origin,
    )
    help_request.task = task
    help_request.save(update_fields=["task"])
    event_add(help_request, Step.TASKED, user=by, note=task.title)
    _audit(by, help_request, "task", origin, task=task.pk)
    return help_request


def requests_escalate(*, now: datetime | None = None) -> int:
    """Escalate to the community every request not taken within the set time, once each (the
    flag is set by a conditional update, so a second sweep or a concurrent one finds nothing);
    the community's workers get an alert. Returns how many were escalated."""
    now = now or timezone.now()
    waiting = HelpRequest.objects.filter(
        status=RequestStatus.SUBMITTED,
        escalated_at__isnull=True,
        created_at__lte=take_deadline(now),
    ).values_list("pk", flat=True)
    return sum(_escalate(pk, now) for pk in list(waiting))


@transaction.atomic
def _escalate(pk: int, now: datetime) -> int:
    claimed = HelpRequest.objects.filter(
        pk=pk, status=RequestStatus.SUBMITTED, escalated_at__isnull=True
    ).update(escalated_at=now, level=RequestLevel.COMMUNITY)
    if not claimed:
        return 0
    help_request = HelpRequest.objects.select_related("grid__community", "household").get(pk=pk)
    minutes = settings.WANGGE["REQUEST_TAKE_MINUTES"]
    RequestEvent.objects.create(
        request=help_request, step=Step.ESCALATED, at=now, note=f"{minutes} 分钟内无人受理"
    )
    audit_record(
        actor=None,
        action="request.escalate",
        target=help_request,
        changes={"level": RequestLevel.COMMUNITY, "minutes": minutes},
    )
    post_alert(
        community_workers(help_request.grid),
        "resident_request",
        f"居民诉求超时未受理（{help_request.grid}）：{help_request.get_kind_display()} · {help_request.household}",
        staff_link(help_request),
    )
    return 1
