"""Dated rule sets and the measure types they define (第九版, 二十条, a street's own "2+14" …).

A measure assigned on a date follows the rule set in force on that date: national rule sets follow
one another by date; local rule sets (added by an admin) are in force beside them and, where both
define a type for the same situation, the local one is proposed first. See docs/measures.md.
"""

from datetime import date, time

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class RuleSetQuerySet(models.QuerySet):
    def in_force(self, on: date) -> "RuleSetQuerySet":
        return self.filter(
            Q(effective_from__isnull=True) | Q(effective_from__lte=on),
            Q(effective_until__isnull=True) | Q(effective_until__gt=on),
        )


class RuleSet(models.Model):
    """防控方案: a national edition or a local variant, in force from one date until another."""

    class Kind(models.TextChoices):
        NATIONAL = "national", _("国家方案")
        LOCAL = "local", _("本地方案")

    name = models.CharField(_("名称"), max_length=80, unique=True)
    kind = models.CharField(_("类别"), max_length=10, choices=Kind.choices, default=Kind.LOCAL)
    effective_from = models.DateField(_("生效日期"), null=True, blank=True)
    effective_until = models.DateField(
        _("失效日期"), null=True, blank=True, help_text=_("当日起不再适用；留空为长期")
    )
    source = models.CharField(_("依据"), max_length=300, blank=True)
    builtin = models.BooleanField(_("预置"), default=False, editable=False)

    objects = RuleSetQuerySet.as_manager()

    class Meta:
        verbose_name = _("防控方案")
        verbose_name_plural = _("防控方案")
        ordering = ["kind", "effective_from", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(effective_from__isnull=True)
                | Q(effective_until__isnull=True)
                | Q(effective_until__gt=models.F("effective_from")),
                name="rule_set_dates_in_order",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def in_force_on(self, on: date) -> bool:
        return (self.effective_from is None or self.effective_from <= on) and (
            self.effective_until is None or on < self.effective_until
        )


class MeasureTypeQuerySet(models.QuerySet):
    def in_force(self, on: date) -> "MeasureTypeQuerySet":
        return self.filter(rule_set__in=RuleSet.objects.in_force(on))


def _parse_times(values: list) -> list[time]:
    return [time.fromisoformat(str(value)) for value in values]


class MeasureType(models.Model):
    """How one kind of measure runs: how long, which days a test is due, when check-ins are due,
    what follows it, and the household colour it implies (read by the five-colour capability)."""

    class Category(models.TextChoices):
        KEY_ATTENTION = "key_attention", _("重点关注")
        CENTRALISED = "centralised", _("集中隔离")
        HOME_ISOLATION = "home_isolation", _("居家隔离")
        HEALTH_MONITORING = "health_monitoring", _("居家健康监测")
        OTHER = "other", _("其他")

    class Colour(models.TextChoices):
        RED = "red", _("红")
        ORANGE = "orange", _("橙")
        YELLOW = "yellow", _("黄")

    class AppliesTo(models.TextChoices):
        MANUAL = "", _("仅手动选择")
        CASE = "case", _("感染者")
        SUSPECTED_CASE = "suspected_case", _("疑似病例")
        CLOSE_CONTACT = "close_contact", _("密切接触者")
        CONTACT_OF_CONTACT = "contact_of_contact", _("密接的密接")
        HIGH_RISK_AREA = "high_risk_area", _("高风险区来返")
        MEDIUM_RISK_AREA = "medium_risk_area", _("中风险区来返")
        LOW_RISK_AREA = "low_risk_area", _("低风险区来返")

    rule_set = models.ForeignKey(
        RuleSet, on_delete=models.PROTECT, related_name="measure_types", verbose_name=_("防控方案")
    )
    name = models.CharField(_("名称"), max_length=80)
    category = models.CharField(_("类别"), max_length=20, choices=Category.choices)
    household_colour = models.CharField(_("户色"), max_length=10, choices=Colour.choices)
    applies_to = models.CharField(
        _("适用情形"), max_length=20, choices=AppliesTo.choices, blank=True, default=""
    )
    duration_days = models.PositiveSmallIntegerField(_("天数"))
    test_days = models.JSONField(
        _("核酸检测日"), default=list, blank=True, help_text=_("管控第几天检测，如 [1, 4, 7]")
    )
    checkin_times = models.JSONField(
        _("打卡时间"), default=list, blank=True, help_text=_('每日打卡时间，如 ["08:00", "16:00"]')
    )
    follow_on = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("期满后接续措施"),
    )
    release_needs_negative = models.BooleanField(_("解除须末次核酸阴性"), default=True)
    note = models.CharField(_("说明"), max_length=300, blank=True)

    objects = MeasureTypeQuerySet.as_manager()

    class Meta:
        verbose_name = _("管控措施类型")
        verbose_name_plural = _("管控措施类型")
        ordering = ["rule_set", "id"]
        constraints = [
            models.UniqueConstraint(fields=["rule_set", "name"], name="measure_type_unique_name"),
            models.CheckConstraint(condition=Q(duration_days__gte=1), name="measure_type_days"),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.rule_set.name}）"

    @property
    def checkins_per_day(self) -> int:
        return len(self.checkin_times)

    @property
    def daily_times(self) -> list[time]:
        return sorted(_parse_times(self.checkin_times))

    def clean(self) -> None:
        errors: dict[str, str | Promise] = {}
        days = self.test_days if isinstance(self.test_days, list) else None
        if days is None or not all(
            isinstance(d, int) and 1 <= d <= self.duration_days for d in days
        ):
            errors["test_days"] = _(
                "检测日应为 1 到管控天数之间的整数 / test days must be whole days within the duration"
            )
        try:
            times = _parse_times(
                self.checkin_times if isinstance(self.checkin_times, list) else [None]
            )
        except (TypeError, ValueError):
            times = None
        if times is None or len(set(times)) != len(times):
            errors["checkin_times"] = _(
                "打卡时间应为不重复的 时:分，如 08:00 / check-in times must be distinct HH:MM values"
            )
        if self.follow_on_id and self.follow_on_id == self.pk:
            errors["follow_on"] = _("接续措施不能是自身 / a measure cannot follow itself")
        if errors:
            raise ValidationError(errors)
