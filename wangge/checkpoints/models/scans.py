"""扫码记录: one passage through a checkpoint, stored once per client id, with the decision made and
its reasons; and 访客, the unregistered visitors registered at a gate.

A scan is visible to whoever sees the checkpoint's area or the area of the household scanned (a
grid worker sees where their residents passed). Checkpoint staff see, through the action SCAN, only
the scans they made themselves at the checkpoints they man.
"""

from typing import Self

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wangge.accounts.models import User
from wangge.checkpoints.models.checkpoints import SCAN, AtCheckpointQuerySet, Checkpoint
from wangge.checkpoints.rules import Direction, Reason, Verdict
from wangge.core.fields import LocalDayField
from wangge.core.roles import Action
from wangge.core.scoping import Scope


def _paths(scope: Scope, street: str, community: str, grid: str) -> Q:
    condition = Q()
    for path, ids in (
        (street, scope.street_ids),
        (community, scope.community_ids),
        (grid, scope.grid_ids),
    ):
        if ids:
            condition |= Q(**{f"{path}__in": sorted(ids)})
    return condition


class PassageQuerySet(AtCheckpointQuerySet):
    """Rows at a checkpoint that also concern a household: either area makes them visible."""

    household_field = "household"

    def area_condition(self, scope: Scope) -> Q:
        home = self.household_field
        return _paths(
            scope, "checkpoint__community__street", "checkpoint__community", "checkpoint__grid"
        ) | _paths(
            scope, f"{home}__grid__community__street", f"{home}__grid__community", f"{home}__grid"
        )

    def restrict(self, user: User, action: str = Action.VIEW) -> Self:
        if action != SCAN:
            return super().restrict(user, action)
        return self.filter(by=user, checkpoint__in=Checkpoint.objects.restrict(user, SCAN))


class VisitorQuerySet(PassageQuerySet):
    household_field = "host_household"


class Visitor(models.Model):
    """An unregistered person let in (or turned back) at a gate: who, why, whom they visit."""

    name = models.CharField(_("姓名"), max_length=50)
    id_number_sealed = models.TextField(blank=True, editable=False)
    id_number_hash = models.CharField(max_length=40, blank=True, db_index=True, editable=False)
    id_number_masked = models.CharField(_("证件号码"), max_length=40, blank=True, editable=False)
    phone_sealed = models.TextField(blank=True, editable=False)
    phone_masked = models.CharField(_("联系电话"), max_length=20, blank=True, editable=False)
    purpose = models.CharField(_("来访事由"), max_length=200)
    checkpoint = models.ForeignKey(
        Checkpoint, on_delete=models.PROTECT, related_name="visitors", verbose_name=_("卡点")
    )
    host_household = models.ForeignKey(
        "regions.Household",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="visitors",
        verbose_name=_("被访户"),
    )
    host_address = models.CharField(_("被访地址"), max_length=200, blank=True)
    registered_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    objects = models.Manager.from_queryset(VisitorQuerySet)()

    class Meta:
        verbose_name = _("访客")
        verbose_name_plural = _("访客")
        ordering = ["-registered_at", "-id"]

    def __str__(self) -> str:
        return self.name


class Scan(models.Model):
    """One passage. Partitioned by `day` on PostgreSQL (`core.partitions`): the database's key
    is (id, day), and ScanReason and DoorOpening point at it with (scan, scan_day)."""

    class Method(models.TextChoices):
        CODE = "code", _("扫小区码")
        PASS = "pass", _("扫出入证")
        ID_NUMBER = "id_number", _("输入证件号")
        PHONE_TAIL = "phone_tail", _("输入手机尾号")

    class Needs(models.TextChoices):
        NOTHING = "", _("已完成")
        VISITOR = "visitor", _("待登记访客")
        CHOICE = "choice", _("待选择人员")

    client_id = models.CharField(max_length=64)
    checkpoint = models.ForeignKey(
        Checkpoint, on_delete=models.PROTECT, related_name="scans", verbose_name=_("卡点")
    )
    direction = models.CharField(_("方向"), max_length=3, choices=Direction.choices)
    method = models.CharField(_("方式"), max_length=12, choices=Method.choices)
    person = models.ForeignKey(
        "people.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="scans",
        verbose_name=_("人员"),
    )
    visitor = models.ForeignKey(
        Visitor, on_delete=models.SET_NULL, null=True, blank=True, related_name="scans"
    )
    household = models.ForeignKey(
        "regions.Household",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="scans",
        verbose_name=_("户"),
    )
    pass_used = models.ForeignKey(
        "checkpoints.Pass",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="exits",
        verbose_name=_("计入出入证"),
    )
    temperature = models.DecimalField(
        _("体温"), max_digits=3, decimal_places=1, null=True, blank=True
    )
    code_colour = models.CharField(_("健康码"), max_length=8, blank=True)
    verdict = models.CharField(_("结果"), max_length=6, choices=Verdict.choices)
    next_exit_on = models.DateField(_("下次可外出日期"), null=True, blank=True)
    needs = models.CharField(
        _("待办"), max_length=8, choices=Needs.choices, blank=True, default=Needs.NOTHING
    )
    scanned_at = models.DateTimeField(_("扫码时间"))
    # The phone's day, carried unchanged in a replay: the partition key on PostgreSQL.
    day = LocalDayField(_("扫码日期"), of="scanned_at")
    received_at = models.DateTimeField(_("接收时间"), auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("值守人员"),
    )

    objects = models.Manager.from_queryset(PassageQuerySet)()

    class Meta:
        verbose_name = _("扫码记录")
        verbose_name_plural = _("扫码记录")
        ordering = ["-scanned_at", "-id"]
        indexes = [
            models.Index(fields=["checkpoint", "scanned_at"]),
            models.Index(fields=["scanned_at"]),
            models.Index(fields=["pass_used", "scanned_at"]),
            models.Index(fields=["person", "scanned_at"]),
        ]
        constraints = [
            # A replay is the same client id on the same (phone's) day; the day is in the key
            # because a partitioned table's unique keys must hold its partition column.
            models.UniqueConstraint(fields=["client_id", "day"], name="scan_client_id_once"),
        ]

    def __str__(self) -> str:
        return (
            f"{self.checkpoint_id} {self.direction} {self.verdict} {self.scanned_at:%Y-%m-%d %H:%M}"
        )


class ScanReason(models.Model):
    """One reason of a scan's decision, a row each so that reports count them in the database."""

    scan = models.ForeignKey(Scan, on_delete=models.CASCADE, related_name="reason_rows")
    # With the scan's id, the key to the (id, day) of the partitioned scan table on PostgreSQL.
    scan_day = LocalDayField(of="scan.day")
    code = models.CharField(_("原因"), max_length=16, choices=Reason.choices)

    class Meta:
        verbose_name = _("判定原因")
        verbose_name_plural = _("判定原因")
        constraints = [
            models.UniqueConstraint(fields=["scan", "code"], name="scan_reason_once"),
        ]
        # Retention deletes a day's reasons before it drops the day's scans.
        indexes = [models.Index(fields=["scan_day"], name="scan_reason_day")]

    def __str__(self) -> str:
        return f"{self.scan_id} {self.code}"
