"""Duty rosters (值守排班): shifts covering a checkpoint's hours, the staff and volunteers on each,
their clocking on and off, handover notes, and the day-before notice of understaffed shifts.

The volunteers are members of the teams (队伍, teams.Member): the roster model stays, its people
come from the teams; a volunteer with a staff account may also be rostered as that account.
"""

from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wangge.core.scoping import scoped_manager

CHECKPOINT_PATHS = {
    "street_path": "checkpoint__community__street",
    "community_path": "checkpoint__community",
    "grid_path": "checkpoint__grid",
}


def day_bounds(day: date) -> tuple[datetime, datetime]:
    """The local day `day` as [start, end) in aware datetimes."""
    start = timezone.make_aware(datetime.combine(day, time.min))
    return start, timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


class Shift(models.Model):
    checkpoint = models.ForeignKey(
        "checkpoints.Checkpoint",
        on_delete=models.CASCADE,
        related_name="shifts",
        verbose_name=_("卡点"),
    )
    starts_at = models.DateTimeField(_("开始"))
    ends_at = models.DateTimeField(_("结束"))
    needed = models.PositiveSmallIntegerField(_("所需人数"))
    gap_noticed_at = models.DateTimeField(_("缺员通知时间"), null=True, blank=True)

    objects = scoped_manager(**CHECKPOINT_PATHS)

    class Meta:
        verbose_name = _("班次")
        verbose_name_plural = _("班次")
        ordering = ["checkpoint", "starts_at"]
        constraints = [
            models.UniqueConstraint(fields=["checkpoint", "starts_at"], name="shift_unique_start"),
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="shift_end"
            ),
        ]
        indexes = [models.Index(fields=["starts_at"])]

    def __str__(self) -> str:
        return f"{self.checkpoint_id} {self.starts_at:%Y-%m-%d %H:%M}"


class ShiftAssignment(models.Model):
    shift = models.ForeignKey(Shift, on_delete=models.CASCADE, related_name="assignments")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="checkpoint_shifts",
        verbose_name=_("工作人员"),
    )
    volunteer = models.ForeignKey(
        "teams.Member",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="shifts",
        verbose_name=_("志愿者"),
    )
    clocked_on_at = models.DateTimeField(_("到岗时间"), null=True, blank=True)
    clocked_off_at = models.DateTimeField(_("离岗时间"), null=True, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = scoped_manager(**{key: f"shift__{path}" for key, path in CHECKPOINT_PATHS.items()})

    class Meta:
        verbose_name = _("排班")
        verbose_name_plural = _("排班")
        ordering = ["shift", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=True, volunteer__isnull=False)
                | Q(user__isnull=False, volunteer__isnull=True),
                name="assignment_user_or_volunteer",
            ),
            models.UniqueConstraint(
                fields=["shift", "user"], condition=Q(user__isnull=False), name="shift_user_once"
            ),
            models.UniqueConstraint(
                fields=["shift", "volunteer"],
                condition=Q(volunteer__isnull=False),
                name="shift_volunteer_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.shift_id}: {self.member}"

    @property
    def member(self) -> object:
        return self.user or self.volunteer


class ShiftNote(models.Model):
    """交接班记录: what the next shift must know."""

    shift = models.ForeignKey(Shift, on_delete=models.CASCADE, related_name="notes")
    text = models.TextField(_("交接内容"), max_length=1000)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("交接班记录")
        verbose_name_plural = _("交接班记录")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.shift_id} {self.at:%m-%d %H:%M}"


class RosterGapNotice(models.Model):
    """The day-before notice of one community's understaffed shifts: sent once per day."""

    on = models.DateField(_("值守日期"))
    community = models.ForeignKey(
        "regions.Community", on_delete=models.CASCADE, related_name="+", verbose_name=_("社区/村")
    )
    shifts = models.PositiveIntegerField(_("缺员班次"), default=0)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("缺员通知")
        verbose_name_plural = _("缺员通知")
        constraints = [
            models.UniqueConstraint(fields=["on", "community"], name="gap_notice_once"),
        ]

    def __str__(self) -> str:
        return f"{self.on} {self.community_id}: {self.shifts}"
