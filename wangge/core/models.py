from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from wangge.core.jobs.models import Job

__all__ = ["Alert", "AuditEntry", "CacheEntry", "CacheGeneration", "Job"]


class AuditEntry(models.Model):
    """Who did what to which record, when and from where. Written by services, never edited."""

    class Action(models.TextChoices):
        CREATE = "create", _("新建")
        UPDATE = "update", _("修改")
        DELETE = "delete", _("删除")
        REVEAL = "reveal", _("查看完整信息")
        EXPORT = "export", _("导出")
        IMPORT = "import", _("导入")
        UNDO = "undo", _("撤销")
        LOGIN = "login", _("登录")
        LOGIN_FAILED = "login_failed", _("登录失败")
        LOGOUT = "logout", _("退出")
        PERMISSION = "permission", _("权限变更")
        TOKEN = "token", _("接口令牌")

    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("操作人"),
    )
    actor_label = models.CharField(_("操作人"), max_length=150, blank=True)
    ip = models.GenericIPAddressField(_("来源地址"), null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    action = models.CharField(_("动作"), max_length=20, choices=Action.choices)
    target_type = models.CharField(_("对象类型"), max_length=50, blank=True)
    target_id = models.CharField(_("对象编号"), max_length=50, blank=True)
    target_label = models.CharField(_("对象"), max_length=200, blank=True)
    reason = models.CharField(_("理由"), max_length=300, blank=True)
    changes = models.JSONField(_("变更"), default=dict, blank=True)

    class Meta:
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.target_label}"


class Alert(models.Model):
    """A line in a staff member's alert inbox (the bell). Posted by post_alert()."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="alerts",
        verbose_name=_("接收人"),
    )
    kind = models.CharField(_("类别"), max_length=50)
    text = models.CharField(_("内容"), max_length=500)
    link = models.CharField(_("链接"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("提醒")
        verbose_name_plural = _("提醒")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return self.text


class CacheGeneration(models.Model):
    """One counter, raised by every write that invalidates a per-process cache
    (core/process_cache.py). A single row, pk 1; absent reads as 0."""

    value = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("缓存代数")
        verbose_name_plural = _("缓存代数")

    def __str__(self) -> str:
        return str(self.value)


class CacheEntry(models.Model):
    """The table of Django's DatabaseCache (settings.CACHES without Redis), made by `migrate` so
    no `createcachetable` step is needed; the columns are the ones that command would make."""

    cache_key = models.CharField(max_length=255, primary_key=True)
    value = models.TextField()
    expires = models.DateTimeField(db_index=True)

    class Meta:
        db_table = "wangge_cache"
        verbose_name = _("缓存条目")

    def __str__(self) -> str:
        return self.cache_key
