"""健康码: colour changes fed by file or API, each person's history, and the 07:30 digest."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wangge.accounts.models import User
from wangge.core.scoping import Scope, ScopedQuerySet, scoped_manager


class CodeColour(models.TextChoices):
    GREEN = "green", _("绿码")
    YELLOW = "yellow", _("黄码")
    RED = "red", _("红码")


ALERT_COLOURS = (CodeColour.YELLOW, CodeColour.RED)


class HealthCodeBatch(models.Model):
    """One delivery of the feed (a file or an API call): its counts and the rows it could not use."""

    class Source(models.TextChoices):
        IMPORT = "import", _("文件导入")
        API = "api", _("接口")

    source = models.CharField(_("来源"), max_length=10, choices=Source.choices)
    original_name = models.CharField(_("文件名"), max_length=200, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(_("时间"), auto_now_add=True)
    counts = models.JSONField(default=dict, blank=True)
    problems = models.JSONField(
        default=list, blank=True, help_text=_("未匹配或有误的行：行号、脱敏证件号、原因")
    )

    class Meta:
        verbose_name = _("健康码批次")
        verbose_name_plural = _("健康码批次")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_source_display()} {self.at:%Y-%m-%d %H:%M}"


class HealthCodeQuerySet(ScopedQuerySet):
    def extra_condition(self, user: User, scope: Scope) -> Q:
        if scope.empty:
            return Q()
        from wangge.measures.models.measures import PersonMeasure

        # A short list, read first: an OR with a subquery would make the person join an outer join.
        on_team = list(
            PersonMeasure.objects.active().for_team_member(user).values_list("person", flat=True)
        )
        return Q(person__in=on_team) if on_team else Q()


class HealthCodeChange(models.Model):
    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="health_codes"
    )
    colour = models.CharField(_("健康码"), max_length=8, choices=CodeColour.choices)
    previous_colour = models.CharField(
        _("原健康码"), max_length=8, choices=CodeColour.choices, blank=True
    )
    changed_at = models.DateTimeField(_("变码时间"))
    batch = models.ForeignKey(
        HealthCodeBatch, on_delete=models.SET_NULL, null=True, blank=True, related_name="changes"
    )
    received_at = models.DateTimeField(_("接收时间"), auto_now_add=True)

    objects = scoped_manager(
        HealthCodeQuerySet,
        street_path="person__household__grid__community__street",
        community_path="person__household__grid__community",
        grid_path="person__household__grid",
    )

    class Meta:
        verbose_name = _("健康码变更")
        verbose_name_plural = _("健康码变更")
        ordering = ["-changed_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "changed_at"], name="health_code_once_per_moment"
            )
        ]
        indexes = [models.Index(fields=["changed_at"])]

    def __str__(self) -> str:
        return f"{self.person_id} {self.colour} {self.changed_at:%Y-%m-%d %H:%M}"


class HealthCodeDigest(models.Model):
    """The 07:30 digest of one day: sent once, whatever the number of sweeps."""

    on = models.DateField(_("日期"), unique=True)
    window_from = models.DateTimeField()
    window_until = models.DateTimeField()
    changes = models.PositiveIntegerField(default=0)
    recipients = models.PositiveIntegerField(default=0)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("健康码日报")
        verbose_name_plural = _("健康码日报")
        ordering = ["-on"]

    def __str__(self) -> str:
        return f"{self.on}: {self.changes} → {self.recipients}"
