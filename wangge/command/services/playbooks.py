"""应急预案 and 吹哨: tasks that the command centre does not type one by one.

A playbook turns an event into a bundle of tasks whose assignees are resolved from the event's
place: the building's grid (or its grid worker), its community, the street's tracing task force,
the street's commanders, a named department. When the place is too coarse for a step (no grid
known), the step falls back one level up — grid → community → the street's commanders — and says
so in the task's log. A whistle (社区吹哨、部门报到) is a task pointed upward, from a community to
street departments, which must report (acknowledge) within the whistle kind's deadline.
"""

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from wangge.accounts.authority import holds
from wangge.accounts.models import User
from wangge.accounts.selectors import grid_workers_of
from wangge.command.models import (
    Department,
    Event,
    Playbook,
    PlaybookRun,
    PlaybookStep,
    Task,
    TaskKind,
)
from wangge.command.services.tasks import task_create
from wangge.core.origin import Origin
from wangge.core.roles import Action, Role
from wangge.core.services import audit_record

Rule = PlaybookStep.Assignee

WHISTLE_KIND = "whistle"
FALLBACK: dict[str, str] = {
    Rule.GRID_WORKER: Rule.GRID,
    Rule.GRID: Rule.COMMUNITY,
    Rule.COMMUNITY: Rule.COMMANDERS,
    Rule.TRACERS: Rule.COMMANDERS,
}


def _users_with_role(role: str, street_id: int) -> list[User]:
    return list(
        User.objects.filter(
            role_assignments__role=role, role_assignments__street_id=street_id, is_active=True
        )
        .distinct()
        .order_by("pk")
    )


def _resolve_once(rule: str, step: PlaybookStep, event: Event) -> list[Any]:
    if rule == Rule.GRID_WORKER and event.grid_id:
        ids = grid_workers_of([event.grid_id]).get(event.grid_id, [])
        return list(User.objects.filter(pk__in=ids).order_by("pk"))
    if rule == Rule.GRID and event.grid_id:
        return [event.grid]
    if rule == Rule.COMMUNITY and event.community_id:
        return [event.community]
    if rule == Rule.TRACERS:
        return _users_with_role(Role.TRACER, event.street_id)
    if rule == Rule.COMMANDERS:
        return _users_with_role(Role.COMMANDER, event.street_id)
    if rule == Rule.DEPARTMENT and step.department_id:
        return [step.department]
    return []


def resolve_assignees(step: PlaybookStep, event: Event) -> tuple[list[Any], str]:
    """The step's assignees for this event, and a note when a fallback was needed."""
    rule = step.assignee
    tried: list[str] = []
    while True:
        found = _resolve_once(rule, step, event)
        if found:
            note = ""
            if tried:
                note = f"预案“{Rule(step.assignee).label}”无法确定，改由“{Rule(rule).label}”承办"
            return found, note
        tried.append(rule)
        if rule not in FALLBACK:
            return [], ""
        rule = FALLBACK[rule]


def may_run(user: Any, event: Event) -> bool:
    if holds(user, Action.EDIT, event.street):
        return True
    return event.community is not None and holds(user, Action.EDIT, event.community)


@transaction.atomic
def playbook_instantiate(
    *, playbook: Playbook, event: Event, by: User, origin: Origin = Origin.SYSTEM
) -> PlaybookRun:
    """One click: every step of the playbook becomes a task for this event, in one bundle."""
    if not may_run(by, event):
        raise PermissionDenied(
            "您无权对该事件启动预案 / you may not start a playbook for this event"
        )
    if not playbook.active:
        raise ValidationError("该预案已停用 / this playbook is not active")
    if playbook.event_kind_id != event.kind_id:
        raise ValidationError("预案与事件类型不符 / the playbook is for another kind of event")
    steps = list(playbook.steps.select_related("task_kind", "department"))
    resolved = [(step, *resolve_assignees(step, event)) for step in steps]
    missing = [step.title for step, found, _note in resolved if not found]
    if missing:
        raise ValidationError(
            f"以下步骤找不到承办人：{'、'.join(missing)} / no assignee found for: {', '.join(missing)}"
        )
    run = PlaybookRun.objects.create(
        playbook=playbook, event=event, started_by=by, started_at=timezone.now()
    )
    place = event.household or event.building or event.grid or event.community or event.street
    for step, found, note in resolved:
        task_create(
            by=by,
            street=event.street,
            kind=step.task_kind,
            title=f"{step.title}（{place}）",
            assignees=found,
            description=step.description,
            priority=step.priority,
            event=event,
            bundle=run,
            note=note,
            origin=origin,
        )
    audit_record(
        actor=by,
        action="create",
        target=run,
        changes={"playbook": playbook.code, "event": event.pk, "tasks": len(steps)},
        origin=origin,
    )
    return run


@transaction.atomic
def whistle_blow(
    *,
    community: Any,
    departments: Sequence[Department],
    title: str,
    by: User,
    description: str = "",
    priority: str = Task.Priority.HIGH,
    event: Event | None = None,
    origin: Origin = Origin.SYSTEM,
) -> Task:
    """社区吹哨: a community calls street departments, which must report (报到) by acknowledging."""
    if not holds(by, Action.EDIT, community):
        raise PermissionDenied(
            "只有本社区可以吹哨 / only the community itself may blow the whistle"
        )
    if not departments:
        raise ValidationError({"departments": "请选择报到部门 / choose the departments to call"})
    outside = [d.name for d in departments if d.street_id not in (None, community.street_id)]
    if outside:
        raise ValidationError(
            {
                "departments": f"部门不属于本街道：{'、'.join(outside)} / departments of another street"
            }
        )
    kind = TaskKind.objects.get(code=WHISTLE_KIND)
    return task_create(
        by=by,
        street=community.street,
        kind=kind,
        title=title,
        assignees=list(departments),
        description=description,
        priority=priority,
        direction=Task.Direction.UP,
        origin_community=community,
        event=event,
        origin=origin,
    )
