"""居民账号: one phone number, signed in by one-time codes (no password), and its sessions.

An account is tied to the household of the register's persons who carry its phone; an account
whose phone the register does not know has no household until the grid worker confirms its
registration. A session is a random token in a cookie of its own (`wg_resident`), kept here as its
SHA-256 digest, for 30 days; it is not Django's staff session, so a resident never holds a staff
login and a staff login never lasts 30 days."""

import hashlib

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wangge.core import crypto
from wangge.core.fields import optional_fk
from wangge.core.masking import mask_phone
from wangge.core.scoping import scoped_manager


class Account(models.Model):
    phone_sealed = models.TextField(editable=False)
    phone_hash = models.CharField(max_length=40, unique=True, editable=False)
    phone_masked = models.CharField(_("手机号"), max_length=20, editable=False)
    household = optional_fk(
        "regions.Household",
        _("家庭"),
        on_delete=models.SET_NULL,
        related_name="resident_accounts",
    )
    person = optional_fk(
        "people.Person", _("本人"), on_delete=models.SET_NULL, related_name="resident_accounts"
    )
    created_at = models.DateTimeField(_("注册时间"), auto_now_add=True)
    signed_in_at = models.DateTimeField(_("最近登录"), null=True, blank=True)
    disabled_at = models.DateTimeField(_("停用时间"), null=True, blank=True)

    # Staff see the accounts of the households in their area; an account without a household yet
    # is seen by admins only (its registration is what the grid worker handles).
    objects = scoped_manager(
        street_path="household__grid__community__street",
        community_path="household__grid__community",
        grid_path="household__grid",
    )

    class Meta:
        verbose_name = _("居民账号")
        verbose_name_plural = _("居民账号")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.phone_masked

    def set_phone(self, phone: str) -> None:
        self.phone_sealed = crypto.seal(phone)
        self.phone_hash = crypto.blind_index(phone)
        self.phone_masked = mask_phone(phone)

    @property
    def label(self) -> str:
        """How the audit log and the staff pages name the account: 居民 138****1111."""
        return f"居民 {self.phone_masked}"


class Session(models.Model):
    account = models.ForeignKey(
        Account, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("居民账号")
    )
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("登录时间"), default=timezone.now)
    expires_at = models.DateTimeField(_("有效期至"))
    last_seen_at = models.DateTimeField(_("最近使用"), default=timezone.now)
    ended_at = models.DateTimeField(_("退出时间"), null=True, blank=True)
    user_agent = models.CharField(_("设备"), max_length=200, blank=True)
    ip = models.GenericIPAddressField(_("地址"), null=True, blank=True)

    class Meta:
        verbose_name = _("居民登录")
        verbose_name_plural = _("居民登录")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.account} {self.created_at:%Y-%m-%d %H:%M}"

    @staticmethod
    def digest_of(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()

    @property
    def active(self) -> bool:
        return self.ended_at is None and self.expires_at > timezone.now()
