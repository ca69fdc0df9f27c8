"""Who may grant which role on which area: the rules behind staff management.

A manager (a role with the `manage_staff` action) grants roles only on areas inside the area of that
role, and never a role above it: a community worker grants grid workers, checkpoint staff, doctors
and police in their community; a commander anything but admin in the street; an admin anything.
Each role is held on the level of area it is made for (a commander on a street, a grid worker on
a grid, …). Who holds everything is `accounts.authority.holds(user, "manage_staff", None)`.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _

from wangge.accounts.authority import holds
from wangge.accounts.models import RoleAssignment, User
from wangge.core.roles import ROLE_ACTIONS, Action, Role
from wangge.regions.models import Community, Grid, Street

_ALL_ROLES = frozenset(Role.values)
GRANTABLE_ROLES: dict[str, frozenset[str]] = {
    Role.ADMIN: _ALL_ROLES,
    Role.COMMANDER: _ALL_ROLES - {Role.ADMIN},
    Role.COMMUNITY_WORKER: frozenset({Role.GRID_WORKER, Role.CHECKPOINT, Role.DOCTOR, Role.POLICE}),
}
MANAGER_ROLES = frozenset(
    role for role, actions in ROLE_ACTIONS.items() if Action.MANAGE_STAFF in actions
)

STREET, COMMUNITY, GRID = "street", "community", "grid"
ROLE_LEVELS: dict[str, frozenset[str]] = {
    Role.ADMIN: frozenset({""}),
    Role.COMMANDER: frozenset({STREET}),
    Role.COMMUNITY_WORKER: frozenset({COMMUNITY}),
    Role.GRID_WORKER: frozenset({GRID}),
    Role.CHECKPOINT: frozenset({STREET, COMMUNITY, GRID}),
    Role.INSPECTOR: frozenset({STREET, COMMUNITY, GRID}),
    Role.DOCTOR: frozenset({COMMUNITY, GRID}),
    Role.POLICE: frozenset({COMMUNITY, GRID}),
    Role.TRACER: frozenset({STREET}),
}
_LEVEL_NAMES = {
    "": ("不指定区域", "no area"),
    STREET: ("街道", "a street"),
    COMMUNITY: ("社区", "a community"),
    GRID: ("网格", "a grid"),
}

Area = Street | Community | Grid | None


class SystemActor:
    """The operator at the command line: outside the role model, allowed everything, audited as such."""

    pk = None
    username = "system"
    is_authenticated = True
    is_active = True
    is_superuser = True

    def __str__(self) -> str:
        return self.username


SYSTEM = SystemActor()
# Who acts on staff and tokens: a signed-in user, or the operator at the command line.
Actor = User | SystemActor


def area_level(area: Area) -> str:
    if isinstance(area, Grid):
        return GRID
    if isinstance(area, Community):
        return COMMUNITY
    if isinstance(area, Street):
        return STREET
    return ""


def area_label(area: Area) -> str:
    if isinstance(area, Grid):
        return f"{area.community.street.name}·{area}"
    if isinstance(area, Community):
        return f"{area.street.name}·{area.name}"
    return area.name if area is not None else ""


def _either(words: list[str], comma: str, last: str) -> str:
    return last.join([comma.join(words[:-1]), words[-1]]) if len(words) > 1 else words[0]


def check_level(role: str, area: Area) -> None:
    """A role is held on the kind of area it is made for; raise ValidationError otherwise."""
    if role not in ROLE_LEVELS:
        raise ValidationError({"role": _("未知角色 / unknown role")})
    levels = [level for level in ("", STREET, COMMUNITY, GRID) if level in ROLE_LEVELS[role]]
    if area_level(area) not in levels:
        with translation.override("zh-hans"):
            label = str(Role(role).label)
        raise ValidationError(
            {
                "area": _("%(label)s须分配在%(zh)s / %(role)s must be held on %(en)s")
                % {
                    "label": label,
                    "role": role,
                    "zh": _either([_LEVEL_NAMES[level][0] for level in levels], "、", "或"),
                    "en": _either([_LEVEL_NAMES[level][1] for level in levels], ", ", " or "),
                }
            }
        )


def _street_id(area: Area) -> int | None:
    if isinstance(area, Street):
        return area.pk
    if isinstance(area, Community):
        return area.street_id
    if isinstance(area, Grid):
        return area.community.street_id
    return None


def _grid_ancestors(grid: Grid) -> set[int]:
    found: set[int] = set()
    current: Grid | None = grid
    while current is not None and current.pk not in found:
        found.add(current.pk)
        current = current.parent
    return found


def area_within(area: Area, held: RoleAssignment) -> bool:
    """Whether `area` lies inside the area of the held assignment (an admin's holds everything)."""
    if held.role == Role.ADMIN:
        return True
    if area is None:
        return False
    if held.street_id:
        return _street_id(area) == held.street_id
    if held.community_id:
        if isinstance(area, Community):
            return area.pk == held.community_id
        return isinstance(area, Grid) and area.community_id == held.community_id
    if held.grid_id:
        return isinstance(area, Grid) and held.grid_id in _grid_ancestors(area)
    return False


def _manager_assignments(user: User) -> list[RoleAssignment]:
    cache = user.__dict__.get("_wangge_manager_assignments")
    if cache is None:
        cache = list(
            RoleAssignment.objects.filter(user=user, role__in=MANAGER_ROLES).select_related(
                "street", "community", "grid"
            )
        )
        user.__dict__["_wangge_manager_assignments"] = cache
    return cache


def is_everything(user: Any) -> bool:
    """An administrator, a superuser or the operator at the command line."""
    return holds(user, Action.MANAGE_STAFF, None)


def can_grant(manager: Any, role: str, area: Area) -> bool:
    """Whether `manager` may grant (or revoke) `role` on `area`."""
    if is_everything(manager):
        return True
    if not getattr(manager, "is_authenticated", False) or not manager.is_active:
        return False
    return any(
        role in GRANTABLE_ROLES.get(held.role, ()) and area_within(area, held)
        for held in _manager_assignments(manager)
    )


def grantable_roles(manager: Any) -> list[str]:
    """The roles `manager` may grant somewhere, in the order of core.roles.Role."""
    if is_everything(manager):
        return list(Role.values)
    allowed: set[str] = set()
    for held in _manager_assignments(manager):
        allowed |= GRANTABLE_ROLES.get(held.role, frozenset())
    return [role for role in Role.values if role in allowed]


def can_manage(manager: Any, staff: Any) -> bool:
    """Whether `manager` may deactivate, unlock or act for `staff`: every role of theirs is grantable.

    A staff member without any role is an admin's business only.
    """
    if is_everything(manager):
        return True
    if getattr(manager, "pk", None) == staff.pk:
        return False
    held = list(staff.role_assignments.select_related("street", "community", "grid__community"))
    return bool(held) and all(can_grant(manager, a.role, a.area) for a in held)


def is_token_manager(user: Actor) -> bool:
    """Admins and commanders manage API tokens for integrations."""
    if is_everything(user):
        return True
    if not isinstance(user, User) or not user.is_active:
        return False
    return any(held.role == Role.COMMANDER for held in _manager_assignments(user))
