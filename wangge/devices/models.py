"""Home-isolation devices: a door sensor or a camera in a household, watching one person's measure;
what each one reported (every reading is stored), and the alerts raised from them.

A device authenticates with its own token, stored only as a SHA-256 digest (shown once when it is
registered). Rows are scoped through the household, and the measure's team sees them too.
"""

import hashlib

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wangge.accounts.models import User
from wangge.core.scoping import Scope, ScopedQuerySet, scoped_manager
from wangge.measures.models.measures import team_condition

HOUSEHOLD_PATHS = {
    "street_path": "household__grid__community__street",
    "community_path": "household__grid__community",
    "grid_path": "household__grid",
}


class DeviceQuerySet(ScopedQuerySet):
    team_prefix = "measure__"

    def extra_condition(self, user: User, scope: Scope) -> Q:
        return team_condition(user, scope, prefix=self.team_prefix)

    def in_service(self) -> "DeviceQuerySet":
        return self.filter(revoked_at__isnull=True)


class Device(models.Model):
    class Kind(models.TextChoices):
        DOOR_SENSOR = "door_sensor", _("门磁")
        CAMERA = "camera", _("摄像头")

    household = models.ForeignKey(
        "regions.Household",
        on_delete=models.PROTECT,
        related_name="devices",
        verbose_name=_("住户"),
    )
    measure = models.ForeignKey(
        "measures.PersonMeasure",
        on_delete=models.PROTECT,
        related_name="devices",
        verbose_name=_("监看的管控措施"),
    )
    kind = models.CharField(_("类型"), max_length=12, choices=Kind.choices)
    vendor = models.CharField(_("厂商"), max_length=60)
    serial = models.SlugField(_("序列号"), max_length=64, unique=True)
    token_prefix = models.CharField(_("令牌前缀"), max_length=8)
    token_digest = models.CharField(max_length=64)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    registered_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("停用时间"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    last_seen_at = models.DateTimeField(_("最近上报"), null=True, blank=True)
    battery = models.PositiveSmallIntegerField(_("电量%"), null=True, blank=True)
    battery_alerted_at = models.DateTimeField(null=True, blank=True)
    silence_alerted_at = models.DateTimeField(null=True, blank=True)

    objects = scoped_manager(DeviceQuerySet, **HOUSEHOLD_PATHS)

    class Meta:
        verbose_name = _("居家设备")
        verbose_name_plural = _("居家设备")
        ordering = ["household", "kind", "serial"]
        indexes = [
            models.Index(
                fields=["last_seen_at"], condition=Q(revoked_at__isnull=True), name="device_seen"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.serial}"

    @staticmethod
    def digest_of(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()

    @property
    def in_service(self) -> bool:
        return self.revoked_at is None


class DeviceAlert(models.Model):
    """One alert: an intrusion (door opened, a person seen leaving) that merges the events of a
    household arriving within DEVICE_MERGE_SECONDS of each other, or a maintenance alert."""

    class Kind(models.TextChoices):
        INTRUSION = "intrusion", _("居家管控异常")
        BATTERY_LOW = "battery_low", _("设备电量低")
        SILENT = "silent", _("设备离线")

    household = models.ForeignKey(
        "regions.Household", on_delete=models.PROTECT, related_name="+", verbose_name=_("住户")
    )
    device = models.ForeignKey(
        Device, on_delete=models.CASCADE, related_name="alerts", verbose_name=_("首个设备")
    )
    measure = models.ForeignKey(
        "measures.PersonMeasure", on_delete=models.PROTECT, related_name="+", null=True
    )
    kind = models.CharField(_("类别"), max_length=12, choices=Kind.choices)
    first_event_at = models.DateTimeField(_("事件时间"), null=True, blank=True)
    last_event_at = models.DateTimeField(_("最近事件"), null=True, blank=True)
    raised_at = models.DateTimeField(_("报警时间"))
    delay = models.DurationField(_("事件到报警用时"), null=True, blank=True)
    event_count = models.PositiveIntegerField(_("事件数"), default=0)
    event = models.ForeignKey(
        "command.Event", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = scoped_manager(DeviceQuerySet, **HOUSEHOLD_PATHS)

    class Meta:
        verbose_name = _("设备报警")
        verbose_name_plural = _("设备报警")
        ordering = ["-raised_at", "-id"]
        indexes = [models.Index(fields=["household", "kind", "last_event_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.household}"


class DeviceEventQuerySet(DeviceQuerySet):
    team_prefix = "device__measure__"


class DeviceEvent(models.Model):
    """One reading as the device sent it: a door state, a camera event, a battery level."""

    device = models.ForeignKey(
        Device, on_delete=models.CASCADE, related_name="events", verbose_name=_("设备")
    )
    kind = models.CharField(_("事件"), max_length=40)
    alarm = models.BooleanField(_("异常"), default=False)
    battery = models.PositiveSmallIntegerField(_("电量%"), null=True, blank=True)
    occurred_at = models.DateTimeField(_("发生时间"))
    received_at = models.DateTimeField(_("接收时间"))
    payload = models.JSONField(_("内容"), default=dict)
    alert = models.ForeignKey(
        DeviceAlert,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("报警"),
    )

    objects = scoped_manager(
        DeviceEventQuerySet, **{key: f"device__{path}" for key, path in HOUSEHOLD_PATHS.items()}
    )

    class Meta:
        verbose_name = _("设备事件")
        verbose_name_plural = _("设备事件")
        ordering = ["-received_at", "-id"]
        indexes = [models.Index(fields=["device", "-received_at"])]

    def __str__(self) -> str:
        return f"{self.device} {self.kind} {self.occurred_at:%Y-%m-%d %H:%M:%S}"
