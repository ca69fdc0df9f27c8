"""Staff accounts and their roles: every write here is one transaction and one or more audit entries.

Role changes, deactivation and unlocking are audited with the action "permission"; the rules of
who may grant what live in accounts/grants.py.
"""

import secrets
from typing import Any

from axes.utils import reset as axes_reset
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wangge.accounts.grants import (
    COMMUNITY,
    GRID,
    STREET,
    Area,
    area_label,
    area_level,
    can_grant,
    can_manage,
    check_level,
)
from wangge.accounts.models import RoleAssignment, User
from wangge.core.identity import IdentityError, normalise_text, parse_phone
from wangge.core.origin import Origin
from wangge.core.roles import Role
from wangge.core.services import audit_record

# Letters and digits that cannot be mistaken for one another when read aloud or copied by hand.
_LOWER = "abcdefghijkmnpqrstuvwxyz"
_UPPER = "ABCDEFGHJKLMNPQRSTUVWXYZ"
_DIGITS = "23456789"
ONE_TIME_PASSWORD_LENGTH = 12


def one_time_password() -> str:
    """A random password of 12 characters holding lower case, upper case and digits."""
    alphabet = _LOWER + _UPPER + _DIGITS
    while True:
        password = "".join(secrets.choice(alphabet) for _ in range(ONE_TIME_PASSWORD_LENGTH))
        if all(any(c in group for c in password) for group in (_LOWER, _UPPER, _DIGITS)):
            return password


def grant_label(role: str, area: Area) -> str:
    label = str(Role(role).label)
    return f"{label} @ {area_label(area)}" if area is not None else label


def _area_fields(area: Area) -> dict[str, Any]:
    level = area_level(area)
    return {
        "street": area if level == STREET else None,
        "community": area if level == COMMUNITY else None,
        "grid": area if level == GRID else None,
    }


def clean_username(raw: object) -> str:
    username = normalise_text(raw)
    if not username:
        raise ValidationError({"username": _("请填写用户名 / username is required")})
    try:
        User.username_validator(username)
    except ValidationError as error:
        raise ValidationError(
            {
                "username": _(
                    "用户名只能含字母、数字和 @/./+/-/_ / "
                    "username may hold letters, digits and @/./+/-/_ only"
                )
            }
        ) from error
    if len(username) > 150:
        raise ValidationError({"username": _("用户名过长 / username is too long")})
    return username


def clean_staff_phone(raw: object) -> str:
    if not normalise_text(raw):
        return ""
    try:
        return parse_phone(raw)
    except IdentityError as error:
        raise ValidationError({"phone": str(error)}) from error


def _check_grant(by: User, user: User, role: str, area: Area) -> None:
    if getattr(by, "pk", None) is not None and by.pk == user.pk:
        raise PermissionDenied(_("不能修改自己的角色 / you cannot change your own roles"))
    check_level(role, area)
    if not can_grant(by, role, area):
        raise PermissionDenied(
            _("您无权在该区域授予该角色 / you may not grant this role on this area")
        )


@transaction.atomic
def staff_create(
    *,
    by: User,
    username: str,
    full_name: str,
    role: str,
    area: Area,
    phone: str = "",
    origin: Origin = Origin.SYSTEM,
) -> tuple[User, str]:
    """A new staff member holding one role, with a one-time password returned once (never stored)."""
    username = clean_username(username)
    full_name = normalise_text(full_name)
    if not full_name:
        raise ValidationError({"full_name": _("请填写姓名 / name is required")})
    phone = clean_staff_phone(phone)
    check_level(role, area)
    if not can_grant(by, role, area):
        raise PermissionDenied(
            _("您无权在该区域授予该角色 / you may not grant this role on this area")
        )
    if User.objects.filter(username=username).exists():
        raise ValidationError({"username": _("该用户名已存在 / this username is taken")})
    password = one_time_password()
    user = User(username=username, full_name=full_name, phone=phone, must_change_password=True)
    user.set_password(password)
    user.save()
    audit_record(
        actor=by,
        action="create",
        target=user,
        changes={"username": username, "full_name": full_name, "phone": bool(phone)},
        origin=origin,
    )
    _grant(by=by, user=user, role=role, area=area, origin=origin)
    return user, password


def _grant(*, by: User, user: User, role: str, area: Area, origin: Origin) -> RoleAssignment:
    assignment = RoleAssignment.objects.create(user=user, role=role, **_area_fields(area))
    audit_record(
        actor=by,
        action="permission",
        target=user,
        changes={"granted": grant_label(role, area)},
        origin=origin,
    )
    return assignment


def role_held(user: User, role: str, area: Area) -> bool:
    return RoleAssignment.objects.filter(user=user, role=role, **_area_fields(area)).exists()


@transaction.atomic
def role_grant(
    *, by: User, user: User, role: str, area: Area, origin: Origin = Origin.SYSTEM
) -> RoleAssignment:
    """Give `user` the role on the area, if `by` may grant it there and the user lacks it."""
    _check_grant(by, user, role, area)
    if not user.is_active:
        raise ValidationError(_("该账号已停用 / this account is deactivated"))
    if role_held(user, role, area):
        raise ValidationError(_("已有该角色 / this role is already held"))
    return _grant(by=by, user=user, role=role, area=area, origin=origin)


@transaction.atomic
def role_revoke(*, by: User, assignment: RoleAssignment, origin: Origin = Origin.SYSTEM) -> None:
    _check_grant(by, assignment.user, assignment.role, assignment.area)
    label = grant_label(assignment.role, assignment.area)
    user = assignment.user
    assignment.delete()
    audit_record(
        actor=by, action="permission", target=user, changes={"revoked": label}, origin=origin
    )


def _check_manage(by: User, user: User) -> None:
    if getattr(by, "pk", None) is not None and by.pk == user.pk:
        raise PermissionDenied(_("不能对自己的账号执行此操作 / not on your own account"))
    if not can_manage(by, user):
        raise PermissionDenied(_("您无权管理该账号 / you may not manage this account"))


@transaction.atomic
def staff_deactivate(*, by: User, user: User, origin: Origin = Origin.SYSTEM) -> User:
    """Switch the account off: its sessions and API tokens stop working; its history stays."""
    _check_manage(by, user)
    if not user.is_active:
        return user
    user.is_active = False
    user.save(update_fields=["is_active"])
    audit_record(
        actor=by,
        action="permission",
        target=user,
        changes={"is_active": [True, False]},
        origin=origin,
    )
    return user


@transaction.atomic
def staff_unlock(*, by: User, user: User, origin: Origin = Origin.SYSTEM) -> int:
    """Lift a lockout after failed logins before its cool-off ends; returns the records cleared."""
    _check_manage(by, user)
    cleared = axes_reset(username=user.username)
    audit_record(
        actor=by,
        action="permission",
        target=user,
        changes={"unlocked": cleared},
        origin=origin,
    )
    return cleared


@transaction.atomic
def staff_password_change(*, user: User, new_password: str, origin: Origin = Origin.SYSTEM) -> User:
    """The user sets their own password (validated); a first-login obligation is met by it."""
    validate_password(new_password, user)
    user.set_password(new_password)
    user.must_change_password = False
    user.password_changed_at = timezone.now()
    user.save(update_fields=["password", "must_change_password", "password_changed_at"])
    audit_record(
        actor=user, action="update", target=user, changes={"password": "changed"}, origin=origin
    )
    return user
