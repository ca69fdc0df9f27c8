"""盘点: a stock count of one place, imported from a sheet. Each line holds what the books said
when the count was taken and what was counted; after a second person approves the count, every
difference becomes one ADJUST move (`StockMove.count`); a lot found on the shelf but not on the
books becomes a new batch."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from wangge.core.fields import optional_fk
from wangge.core.scoping import scoped_manager


class CountStatus(models.TextChoices):
    SUBMITTED = "submitted", _("待审核")
    APPROVED = "approved", _("已审核入账")
    REJECTED = "rejected", _("已驳回")


class StockCount(models.Model):
    place = models.ForeignKey(
        "supplies.Place", on_delete=models.PROTECT, related_name="counts", verbose_name=_("库点")
    )
    counted_at = models.DateTimeField(_("盘点时间"))
    status = models.CharField(
        _("状态"), max_length=12, choices=CountStatus.choices, default=CountStatus.SUBMITTED
    )
    file_name = models.CharField(_("文件名"), max_length=200, blank=True)
    by = optional_fk(settings.AUTH_USER_MODEL, _("提交人"), on_delete=models.SET_NULL)
    decided_by = optional_fk(settings.AUTH_USER_MODEL, _("审核人"), on_delete=models.SET_NULL)
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    decision_note = models.CharField(_("审核意见"), max_length=200, blank=True)

    objects = scoped_manager(street_path="place__street", community_path="place__community")

    class Meta:
        verbose_name = _("盘点")
        verbose_name_plural = _("盘点")
        ordering = ["-counted_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.place} {self.counted_at:%Y-%m-%d}"


class StockCountLine(models.Model):
    count = models.ForeignKey(
        StockCount, on_delete=models.CASCADE, related_name="lines", verbose_name=_("盘点")
    )
    item = models.ForeignKey(
        "supplies.Item", on_delete=models.PROTECT, related_name="+", verbose_name=_("物资")
    )
    # Empty for a lot found on the shelf but not on the books: approval receives it as a new batch.
    batch = optional_fk("supplies.Batch", _("批次"))
    lot = models.CharField(_("批号"), max_length=40, blank=True)
    expiry = models.DateField(_("有效期至"), null=True, blank=True)
    expected = models.IntegerField(_("账面数量"))
    counted = models.PositiveIntegerField(_("实盘数量"))
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("盘点明细")
        verbose_name_plural = _("盘点明细")
        ordering = ["count", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["count", "batch"],
                condition=models.Q(batch__isnull=False),
                name="supplies_count_line_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item_id} {self.lot}: {self.expected} → {self.counted}"

    @property
    def difference(self) -> int:
        return self.counted - self.expected
