"""A person under a measure (一人一方案): its plan, its three-person team (三包), its check-in slots and
its due tests, and the steps of its life (the person's timeline)."""

from datetime import date
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wangge.accounts.models import User
from wangge.core.scoping import Scope, ScopedQuerySet, scoped_manager

PERSON_PATHS = {
    "street_path": "person__household__grid__community__street",
    "community_path": "person__household__grid__community",
    "grid_path": "person__household__grid",
}


def team_condition(user: User, scope: Scope, prefix: str = "") -> Q:
    """Rows of measures on which `user` serves (grid worker, doctor, police), or of persons assigned
    to them; only for an action their roles allow somewhere."""
    if scope.empty:
        return Q()
    condition = (
        Q(**{f"{prefix}grid_worker": user})
        | Q(**{f"{prefix}doctor": user})
        | Q(**{f"{prefix}police": user})
    )
    if scope.assigned_persons:
        from wangge.people.models import Assignment

        assigned = Assignment.objects.held_by(user).values("person")
        condition |= Q(**{f"{prefix}person__in": assigned})
    return condition


class PersonMeasureQuerySet(ScopedQuerySet):
    def extra_condition(self, user: User, scope: Scope) -> Q:
        return team_condition(user, scope)

    def active(self, on: date | None = None) -> "PersonMeasureQuerySet":
        """Measures in force on `on` (today by default): started, and not ended by that day."""
        on = on or timezone.localdate()
        return self.filter(
            Q(status=PersonMeasure.Status.ACTIVE) | Q(ended_on__gt=on), start__lte=on
        )

    def for_team_member(self, user: User) -> "PersonMeasureQuerySet":
        return self.filter(Q(grid_worker=user) | Q(doctor=user) | Q(police=user))


class PersonMeasure(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("管控中")
        RELEASED = "released", _("已解除")
        ENDED_EARLY = "ended_early", _("提前终止")
        TRANSFERRED = "transferred", _("已转运")

    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="measures", verbose_name=_("人员")
    )
    measure_type = models.ForeignKey(
        "measures.MeasureType",
        on_delete=models.PROTECT,
        related_name="person_measures",
        verbose_name=_("措施类型"),
    )
    status = models.CharField(
        _("状态"), max_length=12, choices=Status.choices, default=Status.ACTIVE
    )
    start = models.DateField(_("开始日期"))
    end = models.DateField(_("期满日期"), help_text=_("开始日期加管控天数：当日起可解除"))
    reason = models.CharField(_("管控原因"), max_length=300)
    plan = models.TextField(_("管控方案"), blank=True)
    grid_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("网格员"),
    )
    doctor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("片医"),
    )
    police = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("片警"),
    )
    previous = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="following",
        verbose_name=_("前序措施"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    ended_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    ended_on = models.DateField(_("结束日期"), null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    end_reason = models.CharField(_("结束原因"), max_length=300, blank=True)
    destination = models.CharField(_("转运去向"), max_length=200, blank=True)

    objects = scoped_manager(PersonMeasureQuerySet, **PERSON_PATHS)

    class Meta:
        verbose_name = _("人员管控措施")
        verbose_name_plural = _("人员管控措施")
        ordering = ["-start", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(status="active"),
                name="one_active_measure_per_person",
            ),
            models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="measure_end"),
        ]
        indexes = [models.Index(fields=["status", "end"])]

    def __str__(self) -> str:
        return f"{self.person} · {self.measure_type.name} · {self.get_status_display()}"

    @property
    def team(self) -> list[Any]:
        return [user for user in (self.grid_worker, self.doctor, self.police) if user is not None]

    @property
    def day_number(self) -> int:
        """Today's measure day (day 1 is the start date)."""
        return (timezone.localdate() - self.start).days + 1


class MeasureChildQuerySet(ScopedQuerySet):
    def extra_condition(self, user: User, scope: Scope) -> Q:
        return team_condition(user, scope, prefix="measure__")


CHILD_PATHS = {key: f"measure__{path}" for key, path in PERSON_PATHS.items()}


class CheckInSlot(models.Model):
    """A check-in due at a time. Materialised when the measure starts, so that the sweep for missed
    slots is one UPDATE in the database."""

    class Status(models.TextChoices):
        OPEN = "open", _("待打卡")
        DONE = "done", _("已打卡")
        MISSED = "missed", _("未打卡")
        CANCELLED = "cancelled", _("已取消")

    measure = models.ForeignKey(
        PersonMeasure, on_delete=models.CASCADE, related_name="slots", db_index=False
    )
    due_at = models.DateTimeField(_("应打卡时间"))
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.OPEN)
    missed_at = models.DateTimeField(_("判定未打卡时间"), null=True, blank=True)

    objects = scoped_manager(MeasureChildQuerySet, **CHILD_PATHS)

    class Meta:
        verbose_name = _("打卡时段")
        verbose_name_plural = _("打卡时段")
        ordering = ["due_at", "id"]
        indexes = [
            # The sweep reads open slots by time and newly missed slots by their stamp; partial
            # indexes keep the UPDATE that moves a slot from one state to the other cheap.
            models.Index(fields=["due_at"], condition=Q(status="open"), name="slot_open_due"),
            models.Index(fields=["missed_at"], condition=Q(status="missed"), name="slot_missed_at"),
            models.Index(fields=["measure", "status"], name="slot_measure_status"),
        ]

    def __str__(self) -> str:
        return f"{self.measure_id} @ {self.due_at:%Y-%m-%d %H:%M}"


class MeasureTest(models.Model):
    """A nucleic test due on a measure day, closed when its result is recorded or imported."""

    class Result(models.TextChoices):
        NEGATIVE = "negative", _("阴性")
        POSITIVE = "positive", _("阳性")
        PENDING_REVIEW = "pending_review", _("待复核")
        INVALID = "invalid", _("无效")

    class Source(models.TextChoices):
        MANUAL = "manual", _("手工登记")
        LAB = "lab", _("检测结果导入")
        API = "api", _("接口")

    measure = models.ForeignKey(PersonMeasure, on_delete=models.CASCADE, related_name="tests")
    day = models.PositiveSmallIntegerField(_("管控第几天"), null=True, blank=True)
    due_on = models.DateField(_("应检日期"))
    result = models.CharField(_("结果"), max_length=16, choices=Result.choices, blank=True)
    sampled_on = models.DateField(_("采样日期"), null=True, blank=True)
    source = models.CharField(_("来源"), max_length=12, choices=Source.choices, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(_("登记时间"), null=True, blank=True)

    objects = scoped_manager(MeasureChildQuerySet, **CHILD_PATHS)

    class Meta:
        verbose_name = _("管控期核酸")
        verbose_name_plural = _("管控期核酸")
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["result", "due_on"])]

    def __str__(self) -> str:
        return f"{self.measure_id} day {self.day}: {self.result or 'open'}"

    @property
    def is_open(self) -> bool:
        return not self.result


class MeasureEvent(models.Model):
    """One step of a measure's life, shown on the person's timeline."""

    class Kind(models.TextChoices):
        ASSIGNED = "assigned", _("开始管控")
        FOLLOWED_ON = "followed_on", _("接续管控")
        RELEASED = "released", _("解除管控")
        AUTO_RELEASED = "auto_released", _("期满自动解除")
        ENDED_EARLY = "ended_early", _("提前终止")
        TRANSFERRED = "transferred", _("转运")
        TEAM_CHANGED = "team_changed", _("更换包保人员")

    measure = models.ForeignKey(PersonMeasure, on_delete=models.CASCADE, related_name="events")
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("事项"), max_length=16, choices=Kind.choices)
    at = models.DateTimeField(_("时间"), default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reason = models.CharField(_("原因"), max_length=300, blank=True)

    objects = scoped_manager(MeasureChildQuerySet, **CHILD_PATHS)

    class Meta:
        verbose_name = _("管控记录")
        verbose_name_plural = _("管控记录")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["person", "at"])]

    def __str__(self) -> str:
        return f"{self.measure_id} {self.kind}"
