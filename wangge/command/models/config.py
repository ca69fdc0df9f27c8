"""Configuration the command centre runs on: task kinds and their stage deadlines, and the street
departments a community can whistle for. Presets come from a data migration; admins add more."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TaskKind(models.Model):
    """Configuration: how fast each stage must be reached. The preset "1510" is 60/300/600 seconds."""

    code = models.SlugField(_("代码"), max_length=30, unique=True)
    name = models.CharField(_("名称"), max_length=50, unique=True)
    ack_seconds = models.PositiveIntegerField(_("接单时限（秒）"))
    start_seconds = models.PositiveIntegerField(_("启动时限（秒）"))
    feedback_seconds = models.PositiveIntegerField(_("首次反馈时限（秒）"))
    completion_seconds = models.PositiveIntegerField(
        _("默认办结时限（秒）"),
        null=True,
        blank=True,
        help_text=_("交办时可另定办结时间；空表示不设"),
    )
    builtin = models.BooleanField(_("内置"), default=False)

    class Meta:
        verbose_name = _("交办类型")
        verbose_name_plural = _("交办类型")
        ordering = ["ack_seconds", "code"]

    # What a task kind is, as lists and the API show it.
    SUMMARY_FIELDS = (
        "code",
        "name",
        "ack_seconds",
        "start_seconds",
        "feedback_seconds",
        "completion_seconds",
    )

    def __str__(self) -> str:
        return self.name


class Department(models.Model):
    """A street department that a community can whistle for (派出所, 市场监管所, 综合执法队, 卫生院)."""

    code = models.SlugField(_("代码"), max_length=30, unique=True)
    name = models.CharField(_("名称"), max_length=50, unique=True)
    street = models.ForeignKey(
        "regions.Street",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="departments",
        verbose_name=_("街道"),
        help_text=_("空表示服务本系统的所有街道"),
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="departments", verbose_name=_("成员")
    )
    builtin = models.BooleanField(_("内置"), default=False)

    class Meta:
        verbose_name = _("街道部门")
        verbose_name_plural = _("街道部门")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name
