"""The units that act in the command centre — the street's command, a community, a grid, a street
department, a person — who acts for each (its members) and to whom each answers (its superior).

Everything here works on sets, a fixed number of queries whatever the number of units: the
deadline sweep resolves the superiors of every late assignment at once.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from wangge.accounts.models import RoleAssignment, User
from wangge.accounts.selectors import grid_workers_of
from wangge.core.roles import Role
from wangge.regions.models import Community, Grid

STREET = "street"
COMMUNITY = "community"
GRID = "grid"
DEPARTMENT = "department"
USER = "user"


@dataclass(frozen=True)
class Unit:
    kind: str
    pk: int


def unit_of(row: Any, prefix: str = "") -> Unit:
    """The unit a TaskAssignment (prefix "") or an Event's owner (prefix "owner_") points at."""
    for kind in (COMMUNITY, GRID, DEPARTMENT, USER, STREET):
        pk = getattr(row, f"{prefix}{kind}_id", None)
        if pk:
            return Unit(kind, pk)
    raise ValueError("no unit")


def _role_holders(role: str, field: str, ids: set[int]) -> dict[int, list[int]]:
    found: dict[int, list[int]] = defaultdict(list)
    rows = RoleAssignment.objects.filter(
        role=role, user__is_active=True, **{f"{field}_id__in": ids}
    ).order_by("user_id")
    for area_id, user_id in rows.values_list(f"{field}_id", "user_id"):
        found[area_id].append(user_id)
    return found


def member_ids(units: Iterable[Unit]) -> dict[Unit, list[int]]:
    """Unit → the user ids who act for it: the street's commanders, the community's community
    workers, the grid's grid workers (and its big grid's), a department's members, the person."""
    from wangge.command.models import Department

    by_kind: dict[str, set[int]] = defaultdict(set)
    for unit in units:
        by_kind[unit.kind].add(unit.pk)
    found: dict[str, dict[int, list[int]]] = {
        STREET: _role_holders(Role.COMMANDER, "street", by_kind[STREET]),
        COMMUNITY: _role_holders(Role.COMMUNITY_WORKER, "community", by_kind[COMMUNITY]),
        GRID: grid_workers_of(by_kind[GRID]) if by_kind[GRID] else {},
        DEPARTMENT: defaultdict(list),
        USER: {pk: [pk] for pk in by_kind[USER]},
    }
    if by_kind[DEPARTMENT]:
        through = Department.members.through.objects.filter(
            department_id__in=by_kind[DEPARTMENT], user__is_active=True
        )
        for department_id, user_id in through.values_list("department_id", "user_id"):
            found[DEPARTMENT][department_id].append(user_id)
    return {
        Unit(kind, pk): list(found[kind].get(pk, [])) for kind, ids in by_kind.items() for pk in ids
    }


def members(units: Iterable[Unit]) -> list[User]:
    """All users acting for any of `units`, once each."""
    ids = {user_id for found in member_ids(units).values() for user_id in found}
    return list(User.objects.filter(pk__in=ids, is_active=True).order_by("pk"))


def is_member(user: User, unit: Unit) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return user.pk in member_ids([unit]).get(unit, [])


def superiors(pairs: Iterable[tuple[Unit, int]]) -> dict[tuple[Unit, int], Unit]:
    """(unit, street id) → the unit it answers to: a grid to its community, a community or a
    department to the street's command, a grid worker to their community, anyone else to the
    street. The street's command answers to nobody (the issuer is alerted instead)."""
    pairs = set(pairs)
    grid_ids = {unit.pk for unit, _ in pairs if unit.kind == GRID}
    community_ids = {unit.pk for unit, _ in pairs if unit.kind == COMMUNITY}
    user_ids = {unit.pk for unit, _ in pairs if unit.kind == USER}
    grid_community = dict(Grid.objects.filter(pk__in=grid_ids).values_list("pk", "community_id"))
    user_community: dict[int, int] = {}
    for user_id, community_id in (
        RoleAssignment.objects.filter(
            user_id__in=user_ids, role=Role.GRID_WORKER, grid__isnull=False
        )
        .order_by("-id")
        .values_list("user_id", "grid__community_id")
    ):
        user_community[user_id] = community_id
    community_street = dict(
        Community.objects.filter(pk__in=community_ids).values_list("pk", "street_id")
    )
    result: dict[tuple[Unit, int], Unit] = {}
    for unit, street_id in pairs:
        if unit.kind == GRID and unit.pk in grid_community:
            result[(unit, street_id)] = Unit(COMMUNITY, grid_community[unit.pk])
        elif unit.kind == COMMUNITY:
            result[(unit, street_id)] = Unit(STREET, community_street.get(unit.pk, street_id))
        elif unit.kind == USER and unit.pk in user_community:
            result[(unit, street_id)] = Unit(COMMUNITY, user_community[unit.pk])
        elif unit.kind != STREET:
            result[(unit, street_id)] = Unit(STREET, street_id)
    return result


def member_condition(user: User, prefix: str = "") -> Q:
    """Rows (assignments, events' owners) whose unit `user` acts for."""
    if not getattr(user, "pk", None):
        return Q(pk__in=[])
    roles = RoleAssignment.objects.filter(user=user)
    grid_ids = set(
        roles.filter(role=Role.GRID_WORKER, grid__isnull=False).values_list("grid_id", flat=True)
    )
    grid_ids |= set(Grid.objects.filter(parent_id__in=grid_ids).values_list("pk", flat=True))
    community_ids = set(
        roles.filter(role=Role.COMMUNITY_WORKER, community__isnull=False).values_list(
            "community_id", flat=True
        )
    )
    street_ids = set(
        roles.filter(role=Role.COMMANDER, street__isnull=False).values_list("street_id", flat=True)
    )
    condition = Q(**{f"{prefix}department__members": user})
    if prefix != "owner_":
        condition |= Q(**{f"{prefix}user": user})
    if grid_ids:
        condition |= Q(**{f"{prefix}grid__in": sorted(grid_ids)})
    if community_ids:
        condition |= Q(**{f"{prefix}community__in": sorted(community_ids)})
    if street_ids and prefix == "owner_":
        condition |= Q(owner_street__in=sorted(street_ids))
    return condition
