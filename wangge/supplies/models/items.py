"""物资目录: the items a street keeps (masks, protective suits, disinfectant, antigen kits, food
packs, medicine …), each counted in one unit and, optionally, received in packs of a fixed size.

Each item says how batches are picked (first-expiry-first-out): WARN lets the picker take another
batch than the earliest when they record why; FORCE allows only the earliest batch.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from wangge.teams.models.areas import shared_down_manager


class ItemCategory(models.TextChoices):
    PROTECTION = "protection", _("防护用品")
    DISINFECTION = "disinfection", _("消杀用品")
    TESTING = "testing", _("检测用品")
    FOOD = "food", _("食品")
    MEDICINE = "medicine", _("药品")
    DAILY = "daily", _("生活用品")
    OTHER = "other", _("其他")


class PickingMode(models.TextChoices):
    WARN = "warn", _("提醒（可选其他批次并说明原因）")
    FORCE = "force", _("强制（只能出最早到期批次）")


class Item(models.Model):
    street = models.ForeignKey(
        "regions.Street", on_delete=models.PROTECT, related_name="+", verbose_name=_("街道")
    )
    # Always empty: an item belongs to the whole street; the column lets the street's shared-down
    # scoping (teams.models.areas) show the catalogue to every community and grid of the street.
    community = models.ForeignKey(
        "regions.Community",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    name = models.CharField(_("物资名称"), max_length=60)
    category = models.CharField(_("类别"), max_length=16, choices=ItemCategory.choices)
    unit = models.CharField(_("计量单位"), max_length=8, help_text=_("如：个、套、瓶、盒、份"))
    pack_size = models.PositiveIntegerField(
        _("每件数量"), default=1, help_text=_("一件（箱、包）含多少个计量单位")
    )
    pack_unit = models.CharField(_("包装单位"), max_length=8, blank=True, help_text=_("如：箱"))
    has_expiry = models.BooleanField(_("有有效期"), default=True)
    picking = models.CharField(
        _("先到期先出"), max_length=8, choices=PickingMode.choices, default=PickingMode.WARN
    )
    household_orderable = models.BooleanField(
        _("居民可申领"), default=False, help_text=_("居家隔离的家庭可在小区码中申领")
    )
    active = models.BooleanField(_("在用"), default=True)

    objects = shared_down_manager()

    class Meta:
        verbose_name = _("物资")
        verbose_name_plural = _("物资")
        ordering = ["category", "name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["street", "name"], name="supplies_item_name_unique"),
            models.CheckConstraint(
                condition=models.Q(pack_size__gte=1), name="supplies_item_pack_size_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.name
