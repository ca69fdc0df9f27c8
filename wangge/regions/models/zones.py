"""三区 and 五色工作法: control zones over compounds and buildings, and the risk colours of areas.

A zone is in force from its start until it is lifted; its planned end is the plan, not a switch
(a lockdown stays until someone lifts it). Lifting keeps the row, so the history stays. An area's
risk colour is one row per setting; setting a new colour ends the previous one.
"""

from typing import Any, Self

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wangge.core.scoping import Scope, ScopedQuerySet
from wangge.regions.choices import AreaRiskColour, ZoneKind


def _either(scope: Scope, paths: dict[str, tuple[str, ...]]) -> Q:
    """Rows reachable through any of several paths per area level."""
    condition = Q()
    for level, ids in (
        ("street", scope.street_ids),
        ("community", scope.community_ids),
        ("grid", scope.grid_ids),
    ):
        if ids:
            for path in paths[level]:
                condition |= Q(**{f"{path}__in": sorted(ids)})
    return condition


class ZoneQuerySet(ScopedQuerySet):
    multi_valued = True

    def area_condition(self, scope: Scope) -> Q:
        return _either(
            scope,
            {
                "street": ("street",),
                "community": ("compounds__community", "buildings__compound__community"),
                "grid": ("compounds__buildings__grid", "buildings__grid"),
            },
        )

    def in_force(self, at: Any = None) -> "ZoneQuerySet":
        at = at or timezone.now()
        return self.filter(Q(lifted_at__isnull=True) | Q(lifted_at__gt=at), starts_at__lte=at)


class Zone(models.Model):
    """封控区 / 管控区 / 防范区 over a set of compounds and buildings of one street."""

    street = models.ForeignKey(
        "regions.Street", on_delete=models.PROTECT, related_name="zones", verbose_name=_("街道")
    )
    kind = models.CharField(_("类别"), max_length=12, choices=ZoneKind.choices)
    name = models.CharField(_("名称"), max_length=80)
    compounds = models.ManyToManyField(
        "regions.Compound", blank=True, related_name="zones", verbose_name=_("小区/楼院")
    )
    buildings = models.ManyToManyField(
        "regions.Building", blank=True, related_name="zones", verbose_name=_("楼栋")
    )
    starts_at = models.DateTimeField(_("开始时间"))
    planned_end = models.DateTimeField(_("计划解除时间"), null=True, blank=True)
    reason = models.CharField(_("划定依据"), max_length=500)
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    declared_at = models.DateTimeField(_("划定时间"), default=timezone.now)
    lifted_at = models.DateTimeField(_("解除时间"), null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    lift_reason = models.CharField(_("解除理由"), max_length=300, blank=True)

    objects = ZoneQuerySet.as_manager()

    class Meta:
        verbose_name = _("管控区域")
        verbose_name_plural = _("管控区域")
        ordering = ["-starts_at", "-id"]
        indexes = [models.Index(fields=["lifted_at", "starts_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.name}"

    def in_force(self, at: Any = None) -> bool:
        at = at or timezone.now()
        return self.starts_at <= at and (self.lifted_at is None or self.lifted_at > at)


class AreaColourQuerySet(ScopedQuerySet):
    multi_valued = True

    def area_condition(self, scope: Scope) -> Q:
        return _either(
            scope,
            {
                "street": ("grid__community__street", "compound__community__street"),
                "community": ("grid__community", "compound__community"),
                "grid": ("grid", "compound__buildings__grid"),
            },
        )

    def current(self) -> Self:
        return self.filter(ended_at__isnull=True)


class AreaColour(models.Model):
    """五色工作法: the risk colour of a grid or a compound, with the criteria and the date set.
    (Venues get theirs when the venues capability arrives.)"""

    grid = models.ForeignKey(
        "regions.Grid",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="risk_colours",
        verbose_name=_("网格"),
    )
    compound = models.ForeignKey(
        "regions.Compound",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="risk_colours",
        verbose_name=_("小区/楼院"),
    )
    colour = models.CharField(_("风险颜色"), max_length=6, choices=AreaRiskColour.choices)
    criteria = models.CharField(_("判定依据"), max_length=500)
    set_on = models.DateField(_("判定日期"))
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    set_at = models.DateTimeField(_("登记时间"), default=timezone.now)
    ended_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = AreaColourQuerySet.as_manager()

    class Meta:
        verbose_name = _("区域风险颜色")
        verbose_name_plural = _("区域风险颜色")
        ordering = ["-set_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(grid__isnull=False, compound__isnull=True)
                | Q(grid__isnull=True, compound__isnull=False),
                name="area_colour_one_area",
            ),
            models.UniqueConstraint(
                fields=["grid"],
                condition=Q(ended_at__isnull=True, grid__isnull=False),
                name="one_current_grid_colour",
            ),
            models.UniqueConstraint(
                fields=["compound"],
                condition=Q(ended_at__isnull=True, compound__isnull=False),
                name="one_current_compound_colour",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.area} · {self.get_colour_display()}"

    @property
    def area(self) -> Any:
        return self.grid or self.compound
