"""消杀记录: who disinfected what, where and when, with a photo; and the requirements as rules
(the elevator of a building with a household under home isolation twice a day), whose misses alert
the building's grid worker at a set hour."""

from typing import Any, Self

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wangge.core.roles import Action
from wangge.core.scoping import Scope, ScopedQuerySet, area_match, scope_of, scoped_manager


class PlaceKind(models.TextChoices):
    ELEVATOR = "elevator", _("电梯")
    CORRIDOR = "corridor", _("楼道")
    STAIRWELL = "stairwell", _("楼梯间")
    STALL = "stall", _("摊位")
    VENUE = "venue", _("场所")


class LogQuerySet(ScopedQuerySet):
    """A log is in the area of its building, or of its venue; VIEW adds the logs of the venues the
    user inspects (an inspector logs and sees venues, never the register)."""

    def area_condition(self, scope: Scope) -> Q:
        return area_match(
            scope,
            streets=("building__grid__community__street", "venue__grid__community__street"),
            communities=("building__grid__community", "venue__grid__community"),
            grids=("building__grid", "venue__grid"),
        )

    def restrict(self, user: Any, action: str = Action.VIEW) -> Self:
        if action != Action.VIEW:
            return super().restrict(user, action)
        register = super().restrict(user, action)
        venues = area_match(
            scope_of(user, Action.INSPECT),
            streets=("venue__grid__community__street",),
            communities=("venue__grid__community",),
            grids=("venue__grid",),
        )
        return register | self.filter(venues) if venues else register


class DisinfectionLog(models.Model):
    client_id = models.CharField(max_length=64, unique=True)
    place = models.CharField(_("消杀部位"), max_length=10, choices=PlaceKind.choices)
    building = models.ForeignKey(
        "regions.Building",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="disinfection_logs",
        verbose_name=_("楼栋"),
    )
    venue = models.ForeignKey(
        "venues.Venue",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="disinfection_logs",
        verbose_name=_("场所"),
    )
    location = models.CharField(_("具体位置"), max_length=100, blank=True)
    agent = models.CharField(_("消杀内容"), max_length=100, help_text=_("如“含氯消毒液擦拭按键”"))
    done_at = models.DateTimeField(_("消杀时间"), db_index=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="disinfection_logs",
        verbose_name=_("记录人"),
    )
    done_by_name = models.CharField(_("消杀人"), max_length=50, blank=True)
    photo = models.FileField(_("照片"), upload_to="venues/disinfection/%Y/%m/", blank=True)

    objects = scoped_manager(LogQuerySet)

    class Meta:
        verbose_name = _("消杀记录")
        verbose_name_plural = _("消杀记录")
        ordering = ["-done_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(building__isnull=False) | Q(venue__isnull=False),
                name="disinfection_log_has_place",
            )
        ]
        indexes = [
            models.Index(fields=["building", "place", "done_at"], name="disinfection_building"),
        ]

    def __str__(self) -> str:
        return f"{self.place} {self.done_at:%Y-%m-%d %H:%M}"


class Requirement(models.TextChoices):
    ISOLATION_ELEVATOR = "isolation_elevator", _("有居家隔离户的楼栋电梯")


class DisinfectionRule(models.Model):
    """A street's requirement: `times_per_day` logs of `place` for every building that meets
    `requirement`; checked at `alert_hour` (Beijing time), a miss alerts the building's grid worker."""

    street = models.ForeignKey(
        "regions.Street",
        on_delete=models.CASCADE,
        related_name="disinfection_rules",
        verbose_name=_("街道"),
    )
    requirement = models.CharField(_("适用"), max_length=30, choices=Requirement.choices)
    place = models.CharField(
        _("消杀部位"), max_length=10, choices=PlaceKind.choices, default=PlaceKind.ELEVATOR
    )
    times_per_day = models.PositiveSmallIntegerField(_("每日次数"), default=2)
    alert_hour = models.PositiveSmallIntegerField(_("提醒时间（时）"), default=18)
    active = models.BooleanField(_("启用"), default=True)

    objects = scoped_manager(street_path="street")

    class Meta:
        verbose_name = _("消杀要求")
        verbose_name_plural = _("消杀要求")
        constraints = [
            models.UniqueConstraint(
                fields=["street", "requirement", "place"], name="disinfection_rule_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.street_id} {self.requirement}"


class DisinfectionMiss(models.Model):
    """A requirement not met on a day by a building: recorded once, when its alert went out."""

    rule = models.ForeignKey(DisinfectionRule, on_delete=models.CASCADE, related_name="misses")
    building = models.ForeignKey(
        "regions.Building", on_delete=models.CASCADE, related_name="+", verbose_name=_("楼栋")
    )
    day = models.DateField(_("日期"))
    logged = models.PositiveSmallIntegerField(_("已记录次数"))
    alerted_at = models.DateTimeField(_("提醒时间"))

    objects = scoped_manager(
        street_path="building__grid__community__street",
        community_path="building__grid__community",
        grid_path="building__grid",
    )

    class Meta:
        verbose_name = _("消杀缺失")
        verbose_name_plural = _("消杀缺失")
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "building", "day"], name="disinfection_miss_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.building_id} {self.day}"
