"""信息发布: a notice to the residents of a compound, a grid, a community or the street, and the
read receipts of the accounts that opened it (one per account and notice)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wangge.core.fields import optional_fk
from wangge.core.scoping import scoped_manager


class Notice(models.Model):
    class Level(models.TextChoices):
        COMPOUND = "compound", _("小区")
        GRID = "grid", _("网格")
        COMMUNITY = "community", _("社区")
        STREET = "street", _("街道")

    level = models.CharField(_("范围"), max_length=10, choices=Level.choices)
    street = models.ForeignKey(
        "regions.Street", on_delete=models.PROTECT, related_name="+", verbose_name=_("街道")
    )
    # The narrowest areas holding the notice's area: they scope who sees it among staff (a
    # compound over two grids is its community's).
    community = optional_fk("regions.Community", _("社区"))
    grid = optional_fk("regions.Grid", _("网格"))
    compound = optional_fk("regions.Compound", _("小区"))
    title = models.CharField(_("标题"), max_length=80)
    text = models.TextField(_("内容"), max_length=2000)
    urgent = models.BooleanField(_("紧急"), default=False)
    expires_at = models.DateTimeField(_("有效期至"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("发布人"),
    )
    published_at = models.DateTimeField(_("发布时间"), default=timezone.now)
    message = optional_fk("notify.Message", _("短信通知"), on_delete=models.SET_NULL)

    objects = scoped_manager(street_path="street", community_path="community", grid_path="grid")

    class Meta:
        verbose_name = _("信息发布")
        verbose_name_plural = _("信息发布")
        ordering = ["-published_at", "-id"]
        indexes = [models.Index(fields=["street", "published_at"])]

    def __str__(self) -> str:
        return self.title

    @property
    def area(self) -> models.Model:
        if self.level == self.Level.COMPOUND:
            return self.compound
        if self.level == self.Level.GRID:
            return self.grid
        if self.level == self.Level.COMMUNITY:
            return self.community
        return self.street

    @property
    def area_label(self) -> str:
        area = self.area
        if self.level in (self.Level.GRID, self.Level.COMPOUND):
            return f"{area.community.name}/{area.name}"  # type: ignore[attr-defined]
        return str(area)

    @property
    def in_force(self) -> bool:
        return self.expires_at is None or self.expires_at > timezone.now()

    @staticmethod
    def for_household(household: models.Model) -> Q:
        """The notices whose area holds `household` (its compound, grid or parent grid,
        community, street)."""
        grid = household.grid  # type: ignore[attr-defined]
        return (
            Q(level=Notice.Level.STREET, street_id=grid.community.street_id)
            | Q(level=Notice.Level.COMMUNITY, community_id=grid.community_id)
            | Q(level=Notice.Level.GRID, grid_id__in=[grid.pk, grid.parent_id])
            | Q(
                level=Notice.Level.COMPOUND,
                compound_id=household.building.compound_id,  # type: ignore[attr-defined]
            )
        )


class NoticeRead(models.Model):
    notice = models.ForeignKey(
        Notice, on_delete=models.CASCADE, related_name="reads", verbose_name=_("信息")
    )
    account = models.ForeignKey(
        "residents.Account", on_delete=models.CASCADE, related_name="+", verbose_name=_("居民账号")
    )
    household = optional_fk("regions.Household", _("家庭"), on_delete=models.SET_NULL)
    read_at = models.DateTimeField(_("阅读时间"), default=timezone.now)

    class Meta:
        verbose_name = _("已读回执")
        verbose_name_plural = _("已读回执")
        ordering = ["-read_at"]
        constraints = [
            models.UniqueConstraint(fields=["notice", "account"], name="notice_read_once")
        ]

    def __str__(self) -> str:
        return f"{self.notice_id} {self.account_id}"
