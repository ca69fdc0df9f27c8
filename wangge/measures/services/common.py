"""Pieces the measure services share: the three-person team, who is responsible for whom, the
checks every write makes, and the timeline entries every change of a measure writes."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import F, Q
from django.urls import reverse

from wangge.accounts.models import User
from wangge.core.roles import Action, Role
from wangge.measures.models import MeasureEvent, PersonMeasure


def rules() -> dict[str, Any]:
    """The measure settings: settings.WANGGE, where settings.py gives each its default."""
    return settings.WANGGE


@dataclass(frozen=True)
class Team:
    """三包: the grid worker, the doctor (片医) and the police officer (片警) of one measure."""

    grid_worker: Any = None
    doctor: Any = None
    police: Any = None


def _users() -> Any:
    return apps.get_model("accounts", "User").objects.filter(is_active=True)


def _role_holder(role: str, grid: Any) -> Any:
    """The first active holder of `role` on the grid, else its parent grid, else its community."""
    if grid is None:
        return None
    areas = [Q(grid=grid.pk)]
    if grid.parent_id:
        areas.append(Q(grid=grid.parent_id))
    areas.append(Q(community=grid.community_id))
    for area in areas:
        holders = _assignments().filter(area, role=role).values("user")
        user = _users().filter(pk__in=holders).order_by("pk").first()
        if user is not None:
            return user
    return None


def _assignments() -> Any:
    return apps.get_model("accounts", "RoleAssignment").objects.all()


def default_team(person: Any) -> Team:
    """The person's 包保 staff where assigned (people.Assignment), else the role holders of the
    person's grid (or its parent grid, or its community)."""
    assignment = apps.get_model("people", "Assignment")
    grid = person.household.grid if person.household_id else None
    members = {}
    for role in (Role.GRID_WORKER, Role.DOCTOR, Role.POLICE):
        assigned = (
            _users()
            .filter(
                pk__in=assignment.objects.active()
                .filter(person=person, duty=role)
                .values("holder_user")
            )
            .order_by("pk")
            .first()
        )
        members[role] = assigned or _role_holder(role, grid)
    return Team(
        grid_worker=members[Role.GRID_WORKER],
        doctor=members[Role.DOCTOR],
        police=members[Role.POLICE],
    )


def team_assignments(measures: Iterable[PersonMeasure]) -> list[Any]:
    """The 包保 rows (people.Assignment) of each measure's team: one per member, from its start."""
    assignment = apps.get_model("people", "Assignment")
    return [
        assignment(
            holder_user_id=member_id,
            person_id=measure.person_id,
            duty=duty,
            source=assignment.Source.MEASURE,
            source_id=measure.pk,
            started=measure.start,
        )
        for measure in measures
        for duty, member_id in (
            (Role.GRID_WORKER, measure.grid_worker_id),
            (Role.DOCTOR, measure.doctor_id),
            (Role.POLICE, measure.police_id),
        )
        if member_id is not None
    ]


def team_assignments_end(measure_ids: Any, on: date) -> int:
    """End the 包保 rows of these measures' teams on `on`: from that day they grant nothing (a
    row not started yet ends on its start, so it never grants)."""
    assignment = apps.get_model("people", "Assignment")
    rows = assignment.objects.filter(
        source=assignment.Source.MEASURE, source_id__in=measure_ids, ended__isnull=True
    )
    return rows.filter(started__gt=on).update(ended=F("started")) + rows.update(ended=on)


def require_persons(by: User, persons: list[Any], action: str = Action.EDIT) -> None:
    person_model = apps.get_model("people", "Person")
    ids = {person.pk for person in persons}
    allowed = person_model.objects.restrict(by, action).filter(pk__in=ids).count()
    if allowed != len(ids):
        raise PermissionDenied("您无权管理其中的人员 / you may not manage some of these persons")


def is_team_member(user: User, measure: PersonMeasure) -> bool:
    return getattr(user, "pk", None) is not None and user.pk in {
        measure.grid_worker_id,
        measure.doctor_id,
        measure.police_id,
    }


def require_measure(by: User, measure: PersonMeasure, *, team_may: bool = False) -> None:
    """`by` may change this measure: edit on it (area or team), or, where `team_may`, serve on it."""
    if team_may and is_team_member(by, measure):
        return
    if not PersonMeasure.objects.restrict(by, Action.EDIT).filter(pk=measure.pk).exists():
        raise PermissionDenied("您无权处理该管控对象 / you may not act on this measure")


def measure_link(measure: PersonMeasure | int) -> str:
    pk = measure if isinstance(measure, int) else measure.pk
    return reverse("measures:detail", args=[pk])


def record_events(events: list[MeasureEvent]) -> None:
    """Write the timeline entries of measure changes. Every assignment, release, early end,
    transfer and automatic release passes here, one call per change (or per batch of changes)."""
    MeasureEvent.objects.bulk_create(events)
