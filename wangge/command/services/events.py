"""事件: raise an event, respond, hand it on, resolve it, close it with the reporter's satisfaction.

The first unit to receive an event owns it — the raiser's own grid, community or department, or
the street's command centre when the system or a commander raises it — until a member of the
owning unit (or the street's command) hands it on explicitly.
"""

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from wangge.accounts.authority import holds
from wangge.accounts.models import RoleAssignment, User
from wangge.command import units
from wangge.command.models import Department, Event, EventKind, EventLog
from wangge.core import crypto
from wangge.core.identity import IdentityError, parse_phone
from wangge.core.masking import mask_phone
from wangge.core.origin import Origin
from wangge.core.roles import Action, Role
from wangge.core.services import audit_record, post_alert
from wangge.people.models import Person
from wangge.regions.models import Building, Community, Grid, Household, Street

Status = Event.Status

# action → (states it may start from, state it leads to)
EVENT_TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "respond": (frozenset({Status.OPEN}), Status.RESPONDED),
    "resolve": (frozenset({Status.OPEN, Status.RESPONDED}), Status.RESOLVED),
    "close": (frozenset({Status.RESOLVED}), Status.CLOSED),
}
ACTION_LABELS = {"respond": "响应", "resolve": "办结", "close": "关闭"}


def _place(
    *,
    household: Household | None,
    persons: list[Person],
    building: Building | None,
    grid: Grid | None,
    street: Street | None,
) -> dict[str, Any]:
    """Street, community, grid, building and household of the event, from the finest given."""
    if household is None and building is None and grid is None:
        homes = {p.household_id: p.household for p in persons if p.household_id}
        if len(homes) == 1:
            household = next(iter(homes.values()))
    if household is not None:
        building, grid = household.building, household.grid
    elif building is not None:
        grid = grid or building.grid
    community = grid.community if grid is not None else None
    if community is not None:
        street = community.street
    if street is None:
        streets = list(Street.objects.all()[:2])
        if len(streets) != 1:
            raise ValidationError(
                {"street": "请指定事件所在街道或地点 / give the event's street or place"}
            )
        street = streets[0]
    return {
        "street": street,
        "community": community,
        "grid": grid,
        "building": building,
        "household": household,
    }


def _first_owner(by: User | None, place: dict[str, Any]) -> dict[str, Any]:
    """The unit that received the event: the raiser's grid, community or department, else the
    street's command centre."""
    street = place["street"]
    if by is None or not by.pk or holds(by, Action.EDIT, street):
        return {"owner_street": street}
    roles = RoleAssignment.objects.filter(user=by).select_related("grid__community", "community")
    for role in roles.filter(role=Role.GRID_WORKER, grid__community__street=street):
        return {"owner_grid": role.grid}
    for role in roles.filter(role=Role.COMMUNITY_WORKER, community__street=street):
        return {"owner_community": role.community}
    department = by.departments.first()
    if department is not None:
        return {"owner_department": department}
    return {"owner_street": street}


def _owner_unit(event: Event) -> units.Unit:
    return units.unit_of(event, prefix="owner_")


def _alert_owner(event: Event, text: str) -> None:
    post_alert(
        units.members([_owner_unit(event)]),
        "event",
        text,
        reverse("command:event_detail", args=[event.pk]),
    )


def may_handle(user: User, event: Event) -> bool:
    """A member of the owning unit, or the street's command."""
    return holds(user, Action.EDIT, event.street) or units.is_member(user, _owner_unit(event))


@transaction.atomic
def event_raise(
    *,
    kind: str,
    title: str,
    persons: Iterable[Person] = (),
    household: Household | None = None,
    source: str,
    by: User | None = None,
    description: str = "",
    street: Street | None = None,
    grid: Grid | None = None,
    building: Building | None = None,
    reporter_name: str = "",
    reporter_phone: str = "",
    origin: Origin = Origin.SYSTEM,
) -> Event:
    """Record an event (from a 12345 call, a grid report, a positive test, a checkpoint fever…)
    and alert the unit that now owns it. `kind` is an EventKind code."""
    event_kind = EventKind.objects.filter(code=kind).first()
    if event_kind is None:
        raise ValidationError({"kind": f"未知事件类型“{kind}” / unknown event kind '{kind}'"})
    title = title.strip()
    if not title:
        raise ValidationError({"title": "请填写事件标题 / a title is required"})
    persons = list(persons)
    place = _place(
        household=household, persons=persons, building=building, grid=grid, street=street
    )
    phone = ""
    if reporter_phone.strip():
        try:
            phone = parse_phone(reporter_phone)
        except IdentityError as error:
            raise ValidationError({"reporter_phone": str(error)}) from error
    now = timezone.now()
    actor = by if getattr(by, "pk", None) else None
    event = Event.objects.create(
        kind=event_kind,
        title=title[:200],
        description=description.strip(),
        source=source.strip()[:200] or event_kind.name,
        raised_by=actor,
        raised_at=now,
        reporter_name=reporter_name.strip()[:50],
        reporter_phone_sealed=crypto.seal(phone),
        reporter_phone_masked=mask_phone(phone),
        **place,
        **_first_owner(actor, place),
    )
    if persons:
        event.persons.set(persons)
    EventLog.objects.create(event=event, action="raise", by=actor, at=now, note=event.owner_label)
    _alert_owner(event, f"新事件（{event_kind.name}）：{event.title}")
    audit_record(
        actor=by,
        action="create",
        target=event,
        changes={"kind": kind, "source": event.source, "persons": [p.pk for p in persons]},
        origin=origin,
    )
    return event


def _owner_fields(unit: Any) -> dict[str, Any]:
    fields = {
        "owner_street": None,
        "owner_community": None,
        "owner_grid": None,
        "owner_department": None,
    }
    key = {
        Street: "owner_street",
        Community: "owner_community",
        Grid: "owner_grid",
        Department: "owner_department",
    }.get(type(unit))
    if key is None:
        raise ValidationError(
            {
                "to": "只能转交街道、社区、网格或部门 / hand on to a street, community, grid or department"
            }
        )
    fields[key] = unit
    return fields


@transaction.atomic
def event_hand_over(
    *, event: Event, to: Any, by: User, note: str = "", origin: Origin = Origin.SYSTEM
) -> Event:
    """Hand the event on to another unit, which owns it from now on."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    if not may_handle(by, event):
        raise PermissionDenied(
            "只有承办单位可以转交事件 / only the owning unit may hand an event on"
        )
    if event.status == Status.CLOSED:
        raise ValidationError("事件已关闭 / the event is closed")
    if to == event.owner:
        raise ValidationError({"to": "事件已由该单位承办 / that unit already owns the event"})
    previous, previous_label = event.owner, event.owner_label
    for key, value in _owner_fields(to).items():
        setattr(event, key, value)
    event.save()
    EventLog.objects.create(
        event=event,
        action="hand_over",
        by=by,
        at=timezone.now(),
        note=f"{previous_label} → {event.owner_label}：{note}"[:500],
    )
    _alert_owner(event, f"事件转交给您：{event.title}")
    audit_record(
        actor=by,
        action="update",
        target=event,
        changes={"owner": [str(previous), str(to)]},
        reason=note,
        origin=origin,
    )
    return event


@transaction.atomic
def event_transition(
    *,
    event: Event,
    action: str,
    by: User,
    note: str = "",
    satisfaction: str = "",
    origin: Origin = Origin.SYSTEM,
) -> Event:
    """Respond to, resolve or close an event. Closing an event that has a reporter needs the
    reporter's satisfaction."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    if action not in EVENT_TRANSITIONS:
        raise ValidationError(f"未知操作“{action}” / unknown action '{action}'")
    sources, target = EVENT_TRANSITIONS[action]
    if event.status not in sources:
        raise ValidationError(
            f"“{event.get_status_display()}”的事件不能{ACTION_LABELS[action]} / cannot {action} "
            f"an event that is {event.status}"
        )
    if not may_handle(by, event):
        raise PermissionDenied(
            "只有承办单位可以办理事件 / only the owning unit may handle an event"
        )
    now = timezone.now()
    if action == "close":
        if event.has_reporter and satisfaction not in Event.Satisfaction.values:
            raise ValidationError(
                {
                    "satisfaction": "有反映人的事件须回访满意度后关闭 / ask the reporter how satisfied they are before closing"
                }
            )
        event.satisfaction = satisfaction if satisfaction in Event.Satisfaction.values else ""
        event.closed_at = now
    if action in {"respond", "resolve"} and event.responded_at is None:
        event.responded_at = now
    if action == "resolve":
        event.resolved_at = now
    before = event.status
    event.status = target
    event.save()
    EventLog.objects.create(event=event, action=action, by=by, at=now, note=note[:500])
    audit_record(
        actor=by,
        action="update",
        target=event,
        changes={"status": [before, target], "satisfaction": event.satisfaction},
        reason=note,
        origin=origin,
    )
    return event
