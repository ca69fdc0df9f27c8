"""一对一关爱: a vulnerable resident (独居老人, 残疾, 孕产期, 透析 …) called by one carer at a fixed
interval, each call logged with its outcome.

The carer is a people.Assignment on the person (duty CARE_GIVER, source CARE, source_id the
plan's id), so that the register, the 包保 screens and the carer's own list read one table. A plan is
due again `interval_hours` after its last call that reached the person (or after its start); when
that time has passed the plan is overdue, and the sweep alerts the carer and the community once per
overdue period, remembering in `alerted_due` the due time it alerted for.
"""

from datetime import datetime, time, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wangge.core.scoping import Scope, ScopedQuerySet, scoped_manager

PERSON_PATHS = {
    "street_path": "person__household__grid__community__street",
    "community_path": "person__household__grid__community",
    "grid_path": "person__household__grid",
}


class CareReason(models.TextChoices):
    LIVING_ALONE = "living_alone", _("独居老人")
    DISABLED = "disabled", _("残疾")
    PREGNANT = "pregnant", _("孕产期")
    DIALYSIS = "dialysis", _("透析")
    OTHER = "other", _("其他")


class CallOutcome(models.TextChoices):
    OK = "ok", _("已联系正常")
    NO_ANSWER = "no_answer", _("未接通")
    HELP = "help", _("需要帮助")


# Calls that reached the person: they restart the interval.
REACHED = (CallOutcome.OK, CallOutcome.HELP)


def _held_plans(user: object) -> models.QuerySet:
    from wangge.people.models import Assignment, Duty

    return (
        Assignment.objects.held_by(user)
        .filter(source=Assignment.Source.CARE, duty=Duty.CARE_GIVER)
        .values("source_id")
    )


class CarePlanQuerySet(ScopedQuerySet):
    def extra_condition(self, user: object, scope: Scope) -> Q:
        """A carer sees the plans they hold, wherever the person lives."""
        return Q(pk__in=_held_plans(user))

    def active(self) -> "CarePlanQuerySet":
        today = timezone.localdate()
        return self.filter(Q(ended__isnull=True) | Q(ended__gt=today), started__lte=today)

    def held_by(self, user: object) -> "CarePlanQuerySet":
        return self.filter(pk__in=_held_plans(user))

    def with_calls(self) -> "CarePlanQuerySet":
        """Each plan with `last_reached` (its last call that reached the person) and `last_call`."""
        return self.annotate(
            last_reached=Max("calls__at", filter=Q(calls__outcome__in=REACHED)),
            last_call=Max("calls__at"),
        )


class CarePlan(models.Model):
    person = models.ForeignKey(
        "people.Person",
        on_delete=models.CASCADE,
        related_name="care_plans",
        verbose_name=_("关爱对象"),
    )
    reason = models.CharField(_("关爱原因"), max_length=20, choices=CareReason.choices)
    interval_hours = models.PositiveIntegerField(
        _("回访间隔（小时）"), help_text=_("两次联系之间最多相隔的小时数，24 即每天一次")
    )
    note = models.TextField(_("备注"), blank=True)
    started = models.DateField(_("开始日期"), default=timezone.localdate)
    ended = models.DateField(_("结束日期"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    alerted_due = models.DateTimeField(_("已提醒的到期时间"), null=True, blank=True)

    objects = scoped_manager(CarePlanQuerySet, **PERSON_PATHS)

    class Meta:
        verbose_name = _("一对一关爱")
        verbose_name_plural = _("一对一关爱")
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=Q(ended=None), name="care_plan_one_open_per_person"
            ),
            models.CheckConstraint(
                condition=Q(interval_hours__gte=1), name="care_plan_interval_positive"
            ),
            models.CheckConstraint(
                condition=Q(ended=None) | Q(ended__gte=models.F("started")),
                name="care_plan_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} ({self.reason})"

    @property
    def interval(self) -> timedelta:
        return timedelta(hours=self.interval_hours)

    def due_at(self, last_reached: datetime | None) -> datetime:
        """When the next call is due: an interval after the last reached call, else after the
        start of the plan's first day (Beijing time)."""
        if last_reached is None:
            start = datetime.combine(self.started, time.min)
            return timezone.make_aware(start) + self.interval
        return last_reached + self.interval


class WelfareCallQuerySet(ScopedQuerySet):
    def extra_condition(self, user: object, scope: Scope) -> Q:
        return Q(plan__in=_held_plans(user))


class WelfareCall(models.Model):
    plan = models.ForeignKey(
        CarePlan, on_delete=models.CASCADE, related_name="calls", verbose_name=_("关爱对象")
    )
    at = models.DateTimeField(_("联系时间"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("联系人"),
    )
    outcome = models.CharField(_("结果"), max_length=12, choices=CallOutcome.choices)
    note = models.CharField(_("情况"), max_length=500, blank=True)
    follow_up = models.CharField(_("跟进事项"), max_length=500, blank=True)
    client_id = models.UUIDField(_("客户端编号"), null=True, blank=True, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = scoped_manager(
        WelfareCallQuerySet, **{key: f"plan__{path}" for key, path in PERSON_PATHS.items()}
    )

    class Meta:
        verbose_name = _("关爱回访")
        verbose_name_plural = _("关爱回访")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["plan", "outcome", "at"], name="welfare_call_reached")]

    def __str__(self) -> str:
        return f"{self.plan_id} {self.at:%Y-%m-%d %H:%M} {self.outcome}"
