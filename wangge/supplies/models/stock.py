"""批次与台账: stock is held in batches (one lot of one item at one place, with its expiry and its
source), and every change to a batch is one row of the ledger (`StockMove`), written in the same
transaction as the change and never edited afterwards: a mistake is undone by a reversing move.

`Batch.quantity` is the batch's running balance, the sum of its moves' `change`; a database check
keeps it from going below zero on SQLite and PostgreSQL alike, and the services take it by a
conditional UPDATE, so two people issuing at once can never both take the last unit.

A transfer takes stock out of a batch at one place and puts it into a batch of the same lot,
expiry and donation at the other (`origin` names the batch it came from), so what a donation was
issued to can be followed through every transfer.
"""

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from wangge.core.fields import optional_fk
from wangge.core.scoping import scoped_manager


class BatchSource(models.TextChoices):
    PURCHASE = "purchase", _("采购")
    DONATION = "donation", _("捐赠")
    TRANSFER = "transfer", _("调入")
    COUNT = "count", _("盘盈")


class Batch(models.Model):
    item = models.ForeignKey(
        "supplies.Item", on_delete=models.PROTECT, related_name="batches", verbose_name=_("物资")
    )
    place = models.ForeignKey(
        "supplies.Place", on_delete=models.PROTECT, related_name="batches", verbose_name=_("库点")
    )
    lot = models.CharField(_("批号"), max_length=40, blank=True)
    expiry = models.DateField(_("有效期至"), null=True, blank=True)
    source = models.CharField(_("来源"), max_length=12, choices=BatchSource.choices)
    supplier = models.CharField(_("供应商"), max_length=80, blank=True)
    donation = optional_fk("supplies.Donation", _("捐赠"), related_name="batches")
    origin = optional_fk("self", _("调出批次"), related_name="transfers")
    received_at = models.DateTimeField(_("入库时间"))
    quantity = models.IntegerField(_("结存"), default=0)

    objects = scoped_manager(street_path="place__street", community_path="place__community")

    class Meta:
        verbose_name = _("批次")
        verbose_name_plural = _("批次")
        ordering = ["item", "expiry", "received_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gte=0), name="supplies_batch_never_negative"
            ),
        ]
        indexes = [
            models.Index(fields=["place", "item", "expiry"], name="supplies_batch_pick"),
            models.Index(fields=["expiry"], name="supplies_batch_expiry"),
        ]

    def __str__(self) -> str:
        return f"{self.item} {self.lot or '-'} @ {self.place}"


class MoveKind(models.TextChoices):
    PURCHASE = "purchase", _("采购入库")
    DONATION = "donation", _("捐赠入库")
    TRANSFER_IN = "transfer_in", _("调拨入库")
    ISSUE = "issue", _("发放出库")
    TRANSFER_OUT = "transfer_out", _("调拨出库")
    WRITE_OFF = "write_off", _("报损出库")
    ADJUST = "adjust", _("盘点调整")
    REVERSAL = "reversal", _("冲正")


IN_KINDS = (MoveKind.PURCHASE, MoveKind.DONATION, MoveKind.TRANSFER_IN)
OUT_KINDS = (MoveKind.ISSUE, MoveKind.TRANSFER_OUT, MoveKind.WRITE_OFF)


class WriteOffReason(models.TextChoices):
    EXPIRED = "expired", _("过期")
    DAMAGED = "damaged", _("损坏")
    LOST = "lost", _("丢失")


class RecipientKind(models.TextChoices):
    CHECKPOINT = "checkpoint", _("卡点")
    TEAM = "team", _("队伍")
    HOUSEHOLD = "household", _("居民家庭")
    OTHER = "other", _("其他")


class StockMove(models.Model):
    """One line of the ledger. `change` is signed: positive into the batch, negative out of it;
    `balance` is the batch's quantity right after this move."""

    at = models.DateTimeField(_("时间"), db_index=True)
    kind = models.CharField(_("类型"), max_length=16, choices=MoveKind.choices)
    place = models.ForeignKey(
        "supplies.Place", on_delete=models.PROTECT, related_name="moves", verbose_name=_("库点")
    )
    item = models.ForeignKey(
        "supplies.Item", on_delete=models.PROTECT, related_name="moves", verbose_name=_("物资")
    )
    batch = models.ForeignKey(
        Batch, on_delete=models.PROTECT, related_name="moves", verbose_name=_("批次")
    )
    change = models.IntegerField(_("数量变化"))
    balance = models.IntegerField(_("批次结存"))
    by = optional_fk(settings.AUTH_USER_MODEL, _("经办人"), on_delete=models.SET_NULL)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    write_off_reason = models.CharField(
        _("报损原因"), max_length=12, choices=WriteOffReason.choices, blank=True
    )
    fefo_reason = models.CharField(_("未按先到期先出的原因"), max_length=200, blank=True)
    recipient_kind = models.CharField(
        _("领用方类型"), max_length=12, choices=RecipientKind.choices, blank=True
    )
    recipient_label = models.CharField(_("领用方"), max_length=100, blank=True)
    checkpoint = optional_fk("checkpoints.Checkpoint", _("卡点"))
    team = optional_fk("teams.Team", _("队伍"))
    household = optional_fk("regions.Household", _("家庭"))
    need = optional_fk("supplies.Need", _("需求"), related_name="moves")
    counterpart = optional_fk("self", _("对应调拨"))
    reverses = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reversed_by",
        verbose_name=_("冲正的记录"),
    )
    count = optional_fk("supplies.StockCount", _("盘点"), related_name="moves")

    objects = scoped_manager(street_path="place__street", community_path="place__community")

    class Meta:
        verbose_name = _("出入库记录")
        verbose_name_plural = _("出入库台账")
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["place", "at"], name="supplies_move_place_at"),
            models.Index(fields=["item", "kind", "at"], name="supplies_move_item_kind_at"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.item_id} {self.change:+d}"

    def save(self, *args: object, **kwargs: object) -> None:
        """A ledger row is written once; a mistake is reversed by a new move, never edited."""
        if self.pk is not None and not self._state.adding:
            raise ValueError("台账记录不可修改 / a ledger row is never edited: reverse it instead")
        super().save(*args, **kwargs)  # type: ignore[arg-type]


def not_reversed() -> Any:
    """Moves no reversal names. Written as NOT EXISTS: PostgreSQL plans the join that
    `reversed_by__isnull=True` makes over the whole ledger four times slower (docs/performance.md,
    Supplies ledger)."""
    return ~Exists(StockMove.objects.filter(reverses=OuterRef("pk")))
