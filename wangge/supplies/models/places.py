"""库点: where stock is held — the street warehouse, the hospital-agreement reserve, a community
store, a service point, a checkpoint. A street-level place has no community; a community's places
are seen and run by that community (and by the street above it)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from wangge.core.fields import optional_fk
from wangge.core.scoping import scoped_manager


class PlaceKind(models.TextChoices):
    STREET_WAREHOUSE = "street_warehouse", _("街道仓库")
    AGREEMENT = "agreement", _("协议储备库")
    COMMUNITY_STORE = "community_store", _("社区物资点")
    SERVICE_POINT = "service_point", _("服务点")
    CHECKPOINT = "checkpoint", _("卡点")


class Place(models.Model):
    name = models.CharField(_("库点名称"), max_length=60)
    kind = models.CharField(_("类型"), max_length=20, choices=PlaceKind.choices)
    street = models.ForeignKey(
        "regions.Street", on_delete=models.PROTECT, related_name="+", verbose_name=_("街道")
    )
    community = optional_fk("regions.Community", _("社区/村"), help_text=_("留空为街道库点"))
    checkpoint = optional_fk("checkpoints.Checkpoint", _("卡点"))
    address = models.CharField(_("地址"), max_length=120, blank=True)
    keeper = optional_fk(settings.AUTH_USER_MODEL, _("保管人"), on_delete=models.SET_NULL)
    active = models.BooleanField(_("在用"), default=True)

    objects = scoped_manager(street_path="street", community_path="community")

    class Meta:
        verbose_name = _("库点")
        verbose_name_plural = _("库点")
        ordering = ["street", "community", "kind", "name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["street", "name"], name="supplies_place_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class StockThreshold(models.Model):
    """低库存预警线: below `minimum` units of the item at the place, the place's keepers are told
    (once per crossing: `alerted_at` is set when told and cleared when stock is back above)."""

    place = models.ForeignKey(
        Place, on_delete=models.CASCADE, related_name="thresholds", verbose_name=_("库点")
    )
    item = models.ForeignKey(
        "supplies.Item", on_delete=models.CASCADE, related_name="+", verbose_name=_("物资")
    )
    minimum = models.PositiveIntegerField(_("预警数量"))
    alerted_at = models.DateTimeField(_("已预警时间"), null=True, blank=True)

    objects = scoped_manager(street_path="place__street", community_path="place__community")

    class Meta:
        verbose_name = _("低库存预警线")
        verbose_name_plural = _("低库存预警线")
        ordering = ["place", "item"]
        constraints = [
            models.UniqueConstraint(fields=["place", "item"], name="supplies_threshold_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.place} {self.item} < {self.minimum}"
