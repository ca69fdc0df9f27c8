"""Staff accounts, their roles on areas, and hashed API tokens for integrations."""

import hashlib

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wangge.core.roles import Role


class User(AbstractUser):
    full_name = models.CharField(_("姓名"), max_length=50, blank=True)
    phone = models.CharField(_("手机号"), max_length=20, blank=True)
    must_change_password = models.BooleanField(_("首次登录须改密码"), default=True)
    password_changed_at = models.DateTimeField(null=True, blank=True)

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
    def area(self) -> object | None:
        return self.grid or self.community or self.street


class ApiToken(models.Model):
    """A token for one integration. Only its SHA-256 digest is stored; it expires and can be revoked."""

    name = models.CharField(_("接入系统"), max_length=100)
    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("代表账号")
    )
    prefix = models.CharField(max_length=8, db_index=True)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("有效期至"))
    revoked_at = models.DateTimeField(_("吊销时间"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)

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
