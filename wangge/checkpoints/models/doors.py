"""门禁: the access controller at a checkpoint's gate, and each time Wangge asked it to open.

A controller belongs to one checkpoint and is seen and changed like it (`restrict(user, "edit")`
on the checkpoint's area). Its password is sealed like a phone number and never shown again. An
opening is stored with the scan that asked for it (or with nobody's scan, when staff test the
controller from its page): what the controller answered, and how long it took.
"""

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from wangge.checkpoints.doors import base
from wangge.checkpoints.models.checkpoints import Checkpoint, at_checkpoint_manager
from wangge.checkpoints.rules import Direction
from wangge.core import crypto
from wangge.core.fields import LocalDayField


class DoorController(models.Model):
    class Kind(models.TextChoices):
        HIKVISION = "hikvision_isapi", _("海康威视门禁（ISAPI）")
        MQTT_RELAY = "mqtt_relay", _("MQTT 继电器")

    class Directions(models.TextChoices):
        BOTH = "", _("进出均开")
        IN = Direction.IN, _("仅进门")
        OUT = Direction.OUT, _("仅出门")

    checkpoint = models.ForeignKey(
        Checkpoint, on_delete=models.CASCADE, related_name="doors", verbose_name=_("卡点")
    )
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("名称"), max_length=80)
    # Hikvision: the device's base URL (http://192.168.1.20); MQTT relay: its topic.
    address = models.CharField(_("地址或主题"), max_length=200)
    door_no = models.PositiveSmallIntegerField(_("门编号"), default=1)
    directions = models.CharField(
        _("开门方向"), max_length=3, choices=Directions.choices, blank=True, default=""
    )
    username = models.CharField(_("用户名"), max_length=64, blank=True)
    password_sealed = models.TextField(blank=True, editable=False)
    enabled = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = at_checkpoint_manager()

    class Meta:
        verbose_name = _("门禁")
        verbose_name_plural = _("门禁")
        ordering = ["checkpoint", "name"]
        constraints = [
            models.UniqueConstraint(fields=["checkpoint", "name"], name="door_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def password(self) -> str:
        return crypto.unseal(self.password_sealed) if self.password_sealed else ""

    def set_password(self, password: str) -> None:
        self.password_sealed = crypto.seal(password) if password else ""

    def opens_for(self, direction: str) -> bool:
        return self.enabled and self.directions in ("", direction)


class DoorOpening(models.Model):
    """One command to a controller: the scan that asked (none for a test from the page), what
    came back, and how long it took."""

    class Outcome(models.TextChoices):
        OPENED = base.OPENED, _("门已开")
        UNREACHABLE = base.UNREACHABLE, _("门禁未响应")
        REFUSED = base.REFUSED, _("门禁拒绝开门")

    scan = models.ForeignKey(
        "checkpoints.Scan",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="door_openings",
        verbose_name=_("扫码记录"),
    )
    # With the scan's id, the key to the (id, day) of the partitioned scan table on PostgreSQL.
    scan_day = LocalDayField(of="scan.day", null=True, blank=True)
    controller = models.ForeignKey(
        DoorController, on_delete=models.CASCADE, related_name="openings", verbose_name=_("门禁")
    )
    outcome = models.CharField(_("结果"), max_length=20, choices=Outcome.choices)
    detail = models.CharField(_("说明"), max_length=300, blank=True)
    at = models.DateTimeField(_("时间"))
    duration_ms = models.PositiveIntegerField(_("耗时（毫秒）"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("开门记录")
        verbose_name_plural = _("开门记录")
        ordering = ["-at", "-id"]
        constraints = [
            # A scan opens each controller once, whoever sends it again.
            models.UniqueConstraint(fields=["scan", "controller"], name="door_opening_once"),
        ]
        # Retention deletes a day's openings before it drops the day's scans.
        indexes = [models.Index(fields=["scan_day"], name="door_opening_scan_day")]

    def __str__(self) -> str:
        return f"{self.controller_id} {self.outcome} {self.at:%Y-%m-%d %H:%M:%S}"

    @property
    def guard_message(self) -> str:
        """What the guard's screen says: the door is open, or open it by hand."""
        return str(GUARD_MESSAGES[self.outcome])


GUARD_MESSAGES: dict[str, Any] = {
    DoorOpening.Outcome.OPENED: _("门已开"),
    DoorOpening.Outcome.UNREACHABLE: _("门禁未响应，请人工开门"),
    DoorOpening.Outcome.REFUSED: _("门禁拒绝开门，请人工开门"),
}
