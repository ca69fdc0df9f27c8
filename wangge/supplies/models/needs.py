"""需求闭环: a need — a checkpoint's request, a team's, or an isolated household's shopping list or
medicine from the residents' channel — is approved, picked from a place (ISSUE moves that name the
need), given to a deliverer (a volunteer of a team or a staff user), and handed over without
contact: the household confirms with its hand-over code, or the deliverer leaves it at the door and
uploads a photo. Each step stores its time; `due_at` is when the current step is late, and the
late-step alert is sent once per step (`alerted_status`).
"""

import secrets
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from wangge.core.fields import optional_fk
from wangge.core.scoping import scoped_manager


class NeedKind(models.TextChoices):
    CHECKPOINT = "checkpoint", _("卡点申领")
    TEAM = "team", _("队伍申领")
    HOUSEHOLD = "household", _("居家家庭代购/送药")


class NeedStatus(models.TextChoices):
    SUBMITTED = "submitted", _("待审批")
    APPROVED = "approved", _("待配货")
    PICKED = "picked", _("待配送")
    DELIVERING = "delivering", _("配送中")
    DELIVERED = "delivered", _("已送达")
    REJECTED = "rejected", _("未批准")
    CANCELLED = "cancelled", _("已取消")


OPEN_NEED_STATUSES = (
    NeedStatus.SUBMITTED,
    NeedStatus.APPROVED,
    NeedStatus.PICKED,
    NeedStatus.DELIVERING,
)


class Handover(models.TextChoices):
    CODE = "code", _("收件人交接码确认")
    PHOTO = "photo", _("配送员拍照确认")


def new_handover_code() -> str:
    return f"{secrets.randbelow(10**6):06d}"


class Need(models.Model):
    kind = models.CharField(_("类型"), max_length=12, choices=NeedKind.choices)
    street = models.ForeignKey(
        "regions.Street", on_delete=models.PROTECT, related_name="+", verbose_name=_("街道")
    )
    community = optional_fk("regions.Community", _("社区/村"))
    grid = optional_fk("regions.Grid", _("网格"))
    checkpoint = optional_fk("checkpoints.Checkpoint", _("卡点"))
    team = optional_fk("teams.Team", _("队伍"))
    household = optional_fk("regions.Household", _("家庭"))
    note = models.CharField(_("说明"), max_length=300, blank=True)
    wishes = models.TextField(
        _("代购清单"), max_length=1000, blank=True, help_text=_("目录外的物品，每行一项")
    )
    status = models.CharField(
        _("状态"), max_length=12, choices=NeedStatus.choices, default=NeedStatus.SUBMITTED
    )
    created_at = models.DateTimeField(_("提出时间"))
    requested_by = optional_fk(settings.AUTH_USER_MODEL, _("提出人"), on_delete=models.SET_NULL)
    requested_label = models.CharField(_("提出人"), max_length=60, blank=True)
    approved_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    approved_by = optional_fk(settings.AUTH_USER_MODEL, _("审批人"), on_delete=models.SET_NULL)
    place = optional_fk("supplies.Place", _("出库库点"))
    picked_at = models.DateTimeField(_("配货时间"), null=True, blank=True)
    picked_by = optional_fk(settings.AUTH_USER_MODEL, _("配货人"), on_delete=models.SET_NULL)
    deliverer_member = optional_fk("teams.Member", _("配送志愿者"), on_delete=models.SET_NULL)
    deliverer_user = optional_fk(settings.AUTH_USER_MODEL, _("配送人"), on_delete=models.SET_NULL)
    dispatched_at = models.DateTimeField(_("出发时间"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("送达时间"), null=True, blank=True)
    handover = models.CharField(_("交接方式"), max_length=8, choices=Handover.choices, blank=True)
    handover_code = models.CharField(max_length=6, default=new_handover_code, editable=False)
    handover_photo = models.FileField(
        _("交接照片"), upload_to="supplies/handover/%Y/%m/", blank=True
    )
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    close_reason = models.CharField(_("原因"), max_length=200, blank=True)
    due_at = models.DateTimeField(_("本环节时限"), null=True, blank=True)
    alerted_status = models.CharField(max_length=12, blank=True, editable=False)

    objects = scoped_manager(street_path="street", community_path="community", grid_path="grid")

    class Meta:
        verbose_name = _("物资需求")
        verbose_name_plural = _("物资需求")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "due_at"], name="supplies_need_due"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_NEED_STATUSES

    @property
    def area(self) -> Any:
        """Where the need is approved and picked: its community, or its street."""
        return self.community or self.street

    @property
    def local_area(self) -> Any:
        """Where the need is dispatched and handed over: a household's grid, else `area`."""
        return self.grid or self.area

    @property
    def deliverer(self) -> Any:
        """The user who delivers the need (the staff deliverer, or the volunteer's account)."""
        if self.deliverer_user_id:
            return self.deliverer_user
        if self.deliverer_member_id and self.deliverer_member is not None:
            return self.deliverer_member.user
        return None


class NeedLine(models.Model):
    need = models.ForeignKey(
        Need, on_delete=models.CASCADE, related_name="lines", verbose_name=_("需求")
    )
    item = models.ForeignKey(
        "supplies.Item", on_delete=models.PROTECT, related_name="+", verbose_name=_("物资")
    )
    quantity = models.PositiveIntegerField(_("数量"))
    picked = models.PositiveIntegerField(_("已配数量"), default=0)

    class Meta:
        verbose_name = _("需求明细")
        verbose_name_plural = _("需求明细")
        ordering = ["need", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["need", "item"], name="supplies_need_line_once"),
            models.CheckConstraint(
                condition=models.Q(quantity__gte=1), name="supplies_need_line_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item_id} × {self.quantity}"
