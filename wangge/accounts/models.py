"""Staff accounts, their roles on areas, hashed API tokens for integrations, and staff imports.

A staff member is in a manager's scope when one of their role assignments lies inside the
manager's areas: `User.objects.restrict(manager, "manage_staff")`, the same mechanism as the register.
"""

import hashlib
from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wangge.core.fields import ImportStatus
from wangge.core.roles import Role
from wangge.core.scoping import Scope, ScopedQuerySet


def assignment_area_condition(scope: Scope, prefix: str = "") -> Q:
    """Role assignments whose area lies inside the scope: a street holds its communities and grids."""
    condition = Q()
    if scope.street_ids:
        streets = sorted(scope.street_ids)
        condition |= (
            Q(**{f"{prefix}street__in": streets})
            | Q(**{f"{prefix}community__street__in": streets})
            | Q(**{f"{prefix}grid__community__street__in": streets})
        )
    if scope.community_ids:
        communities = sorted(scope.community_ids)
        condition |= Q(**{f"{prefix}community__in": communities}) | Q(
            **{f"{prefix}grid__community__in": communities}
        )
    if scope.grid_ids:
        condition |= Q(**{f"{prefix}grid__in": sorted(scope.grid_ids)})
    return condition


class RoleAssignmentQuerySet(ScopedQuerySet):
    def area_condition(self, scope: Scope) -> Q:
        return assignment_area_condition(scope)


class StaffQuerySet(ScopedQuerySet):
    """Staff members with at least one role assignment inside the scope."""

    def area_condition(self, scope: Scope) -> Q:
        inside = assignment_area_condition(scope)
        if not inside:
            return Q()
        return Q(pk__in=RoleAssignment.objects.filter(inside).values("user_id"))


class StaffManager(UserManager.from_queryset(StaffQuerySet)):  # type: ignore[misc]
    """Django's user manager (create_user, …) with `.restrict(user, action)`."""


class User(AbstractUser):
    full_name = models.CharField(_("姓名"), max_length=50, blank=True)
    phone = models.CharField(_("手机号"), max_length=20, blank=True)
    must_change_password = models.BooleanField(_("首次登录须改密码"), default=True)
    password_changed_at = models.DateTimeField(_("密码修改时间"), null=True, blank=True)

    objects: ClassVar[StaffManager] = StaffManager()

    class Meta:
        verbose_name = _("工作人员")
        verbose_name_plural = _("工作人员")

    def __str__(self) -> str:
        return self.full_name or self.username


class RoleAssignment(models.Model):
    """A role held on one area: a street, a community or a grid (exactly one; none for admin)."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="role_assignments", verbose_name=_("工作人员")
    )
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices)
    street = models.ForeignKey(
        "regions.Street", on_delete=models.CASCADE, null=True, blank=True, verbose_name=_("街道")
    )
    community = models.ForeignKey(
        "regions.Community",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        verbose_name=_("社区/村"),
    )
    grid = models.ForeignKey(
        "regions.Grid", on_delete=models.CASCADE, null=True, blank=True, verbose_name=_("网格")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = models.Manager.from_queryset(RoleAssignmentQuerySet)()

    class Meta:
        verbose_name = _("角色分配")
        verbose_name_plural = _("角色分配")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        role=Role.ADMIN,
                        street__isnull=True,
                        community__isnull=True,
                        grid__isnull=True,
                    )
                    | Q(street__isnull=False, community__isnull=True, grid__isnull=True)
                    | Q(street__isnull=True, community__isnull=False, grid__isnull=True)
                    | Q(street__isnull=True, community__isnull=True, grid__isnull=False)
                ),
                name="role_assignment_one_area",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.area or ''}"

    @property
    def area(self) -> Any:
        return self.grid or self.community or self.street


class ApiTokenQuerySet(ScopedQuerySet):
    """Tokens of the staff members in scope, and the user's own."""

    def area_condition(self, scope: Scope) -> Q:
        inside = assignment_area_condition(scope)
        if not inside:
            return Q()
        return Q(user__in=RoleAssignment.objects.filter(inside).values("user_id"))

    def extra_condition(self, user: Any, scope: Scope) -> Q:
        return Q(user=user) if getattr(user, "pk", None) else Q()


class ApiToken(models.Model):
    """A token for one integration. Only its SHA-256 digest is stored; it expires and can be revoked."""

    name = models.CharField(_("接入系统"), max_length=100)
    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("代表账号")
    )
    prefix = models.CharField(_("前缀"), max_length=8, db_index=True)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    expires_at = models.DateTimeField(_("有效期至"))
    revoked_at = models.DateTimeField(_("吊销时间"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)

    objects = models.Manager.from_queryset(ApiTokenQuerySet)()

    class Meta:
        verbose_name = _("接口令牌")
        verbose_name_plural = _("接口令牌")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def digest_of(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()

    @property
    def active(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()


class StaffImport(models.Model):
    """One staff import from .xlsx: the rows read, then counts, row errors and, once, the passwords."""

    Status = ImportStatus

    street = models.ForeignKey(
        "regions.Street", on_delete=models.PROTECT, related_name="+", verbose_name=_("街道")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("导入人"),
    )
    original_name = models.CharField(_("文件名"), max_length=200)
    # The job that runs the import in the worker.
    job = models.OneToOneField(
        "core.Job", on_delete=models.SET_NULL, null=True, blank=True, related_name="staff_import"
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    rows = models.JSONField(default=list, blank=True)
    counts = models.JSONField(default=dict, blank=True)
    errors = models.JSONField(default=list, blank=True)
    message = models.CharField(max_length=500, blank=True)
    credentials_sealed = models.TextField(blank=True, editable=False)
    credentials_taken_at = models.DateTimeField(_("初始密码下载时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("工作人员导入")
        verbose_name_plural = _("工作人员导入")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.original_name} ({self.get_status_display()})"

    @property
    def progress_percent(self) -> int:
        """The job's progress: the import keeps none of its own."""
        if self.job is None:
            return 100 if self.status == self.Status.DONE else 0
        return self.job.progress_percent

    @property
    def credentials_available(self) -> bool:
        return bool(self.credentials_sealed)
