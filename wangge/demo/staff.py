"""One demo staff account per role, with a fixed, published password and a documented area.

| username        | role        | area                                                         |
|-----------------|-------------|--------------------------------------------------------------|
| demo-admin      | 系统管理员   | everything (superuser)                                       |
| demo-commander  | 街道指挥     | the street                                                   |
| demo-community  | 社区工作者   | the first community (春晓社区)                                |
| demo-grid       | 网格员       | 春晓社区·第一网格                                              |
| demo-checkpoint | 卡点值守     | the first community                                          |
| demo-inspector  | 检查员       | the first community                                          |
| demo-doctor     | 片医        | the first community; ~30 persons of 第一网格 assigned (elderly, ill) |
| demo-police     | 片警        | the first community; ~30 persons of 第一网格 assigned (tenants)     |
| demo-tracer     | 流调专班     | the street                                                   |
"""

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.hashers import check_password, make_password
from django.contrib.auth.password_validation import validate_password

from wangge.accounts.models import RoleAssignment, User
from wangge.core.roles import Role
from wangge.people.models import Assignment, Duty, Person
from wangge.regions.models import Community, Grid, Street

DEMO_PASSWORD = "Wangge-Demo-2026"
ASSIGNED_PERSONS = 30


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    full_name: str
    area: str  # "street", "community", "grid" or "" (admin)


DEMO_ACCOUNTS = (
    DemoAccount("demo-admin", Role.ADMIN, "演示管理员", ""),
    DemoAccount("demo-commander", Role.COMMANDER, "演示指挥", "street"),
    DemoAccount("demo-community", Role.COMMUNITY_WORKER, "演示社工", "community"),
    DemoAccount("demo-grid", Role.GRID_WORKER, "演示网格员", "grid"),
    DemoAccount("demo-checkpoint", Role.CHECKPOINT, "演示卡点值守", "community"),
    DemoAccount("demo-inspector", Role.INSPECTOR, "演示检查员", "community"),
    DemoAccount("demo-doctor", Role.DOCTOR, "演示片医", "community"),
    DemoAccount("demo-police", Role.POLICE, "演示片警", "community"),
    DemoAccount("demo-tracer", Role.TRACER, "演示流调", "street"),
)


def demo_accounts_create(
    *,
    street: Street,
    community: Community,
    grid: Grid,
    doctor_persons: list[Person],
    police_persons: list[Person],
) -> list[User]:
    """Create (or reset) the demo accounts. Runs inside the seed's transaction.

    All accounts share one password hash: hashing is deliberately slow, and the password is public.
    """
    areas: dict[str, dict[str, Any]] = {
        "street": {"street": street},
        "community": {"community": community},
        "grid": {"grid": grid},
    }
    password_hash = make_password(DEMO_PASSWORD)
    users = []
    for account in DEMO_ACCOUNTS:
        user, _ = User.objects.get_or_create(username=account.username)
        validate_password(DEMO_PASSWORD, user)
        user.full_name = account.full_name
        user.password = password_hash
        user.must_change_password = False
        user.is_active = True
        user.is_superuser = user.is_staff = account.role == Role.ADMIN
        user.save()
        RoleAssignment.objects.filter(user=user).delete()
        RoleAssignment.objects.create(user=user, role=account.role, **areas.get(account.area, {}))
        users.append(user)
    by_name = {user.username: user for user in users}
    Assignment.objects.bulk_create(
        [
            Assignment(holder_user=by_name["demo-doctor"], person=p, duty=Duty.DOCTOR)
            for p in doctor_persons
        ]
        + [
            Assignment(holder_user=by_name["demo-police"], person=p, duty=Duty.POLICE)
            for p in police_persons
        ]
    )
    return users


def _area_label(assignment: RoleAssignment, assigned: int) -> str:
    if assignment.role == Role.ADMIN:
        return "全部 / everything"
    if assignment.grid is not None:
        label = f"{assignment.grid.community.street}·{assignment.grid}"
    elif assignment.community is not None:
        label = f"{assignment.community.street}·{assignment.community}"
    else:
        label = str(assignment.street)
    if assignment.role in (Role.DOCTOR, Role.POLICE):
        label += f"（包保 {assigned} 人 / {assigned} assigned persons）"
    return label


def demo_logins() -> list[dict[str, Any]]:
    """The demo accounts that exist: username, password (or a note that it was changed), role, area."""
    usernames = [account.username for account in DEMO_ACCOUNTS]
    users = {u.username: u for u in User.objects.filter(username__in=usernames)}
    if not users:
        return []
    demo_hashes = _hashes_of_demo_password(users.values())
    assignments = RoleAssignment.objects.filter(user__in=users.values()).select_related(
        "street", "community__street", "grid__community__street"
    )
    assignment_of = {a.user_id: a for a in assignments}
    assigned: defaultdict[int, int] = defaultdict(int)
    manual = Assignment.objects.active().filter(source=Assignment.Source.MANUAL)
    for user_id in manual.filter(holder_user__in=users.values()).values_list(
        "holder_user_id", flat=True
    ):
        assigned[user_id] += 1
    rows = []
    for account in DEMO_ACCOUNTS:
        user = users.get(account.username)
        if user is None:
            continue
        assignment = assignment_of.get(user.pk)
        rows.append(
            {
                "username": user.username,
                "password": DEMO_PASSWORD
                if user.password in demo_hashes
                else "（已修改 / changed）",
                "role": f"{Role(account.role).label} / {account.role}",
                "area": _area_label(assignment, assigned[user.pk]) if assignment else "—",
            }
        )
    return rows


def _hashes_of_demo_password(users: Any) -> set[str]:
    """The stored hashes that verify the demo password: one slow check per distinct hash."""
    return {
        encoded
        for encoded in {user.password for user in users}
        if check_password(DEMO_PASSWORD, encoded)
    }
