"""登录验证码: a six-digit one-time code sent by SMS to sign a phone in.

Only a keyed hash of (phone, code) is kept (`digest`); the code itself leaves once, by SMS, and —
in demo deployments with RESIDENT_CODE_OUTBOX on, which `check --deploy` refuses — sealed for the
staff outbox page until it expires. A code lives RESIDENT_CODE_MINUTES (5), takes at most
RESIDENT_CODE_TRIES (5) tries, and a number gets at most RESIDENT_CODES_PER_HOUR (5) an hour."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SignInCode(models.Model):
    class Sent(models.TextChoices):
        SENT = "sent", _("已发出")
        UNKNOWN = "unknown", _("发送超时，可能已发出")
        FAILED = "failed", _("发送失败")
        CONSOLE = "console", _("未配置短信网关，写入日志")

    phone_hash = models.CharField(max_length=40, db_index=True, editable=False)
    phone_masked = models.CharField(_("手机号"), max_length=20, editable=False)
    digest = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(_("发送时间"), default=timezone.now, db_index=True)
    expires_at = models.DateTimeField(_("有效期至"))
    tries = models.PositiveSmallIntegerField(_("已尝试次数"), default=0)
    used_at = models.DateTimeField(_("使用时间"), null=True, blank=True)
    sent = models.CharField(_("发送结果"), max_length=10, choices=Sent.choices)
    outbox_sealed = models.TextField(blank=True, editable=False)

    class Meta:
        verbose_name = _("登录验证码")
        verbose_name_plural = _("登录验证码")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.phone_masked} {self.created_at:%Y-%m-%d %H:%M}"
