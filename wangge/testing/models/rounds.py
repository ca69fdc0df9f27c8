"""全员核酸: a testing round, its sampling sites, and the marks grid workers put on persons in it.

A round belongs to a street and covers that street, some of its communities, some grids (a grid
includes its small grids), or the whole district the street belongs to (全区, set up by an
administrator: the round of a district-wide mass test).
Its target population is the persons living there who are present, old enough on the first day,
and not marked away, bedridden (home sampling) or exempt for this round.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wangge.core.fields import optional_fk
from wangge.core.scoping import Scope, ScopedQuerySet, scoped_manager


class RoundQuerySet(ScopedQuerySet):
    """A round is visible to whoever holds an area that overlaps its scope."""

    multi_valued = True

    def area_condition(self, scope: Scope) -> Q:
        condition = Q()
        district = Q(scope=NucleicRound.Scope.DISTRICT)
        if scope.street_ids:
            ids = sorted(scope.street_ids)
            condition |= Q(street__in=ids) | (district & Q(street__district__streets__in=ids))
        if scope.community_ids:
            ids = sorted(scope.community_ids)
            condition |= (
                Q(scope=NucleicRound.Scope.STREET, street__communities__in=ids)
                | (district & Q(street__district__streets__communities__in=ids))
                | Q(communities__in=ids)
                | Q(grids__community__in=ids)
            )
        if scope.grid_ids:
            ids = sorted(scope.grid_ids)
            condition |= (
                Q(scope=NucleicRound.Scope.STREET, street__communities__grids__in=ids)
                | (district & Q(street__district__streets__communities__grids__in=ids))
                | Q(communities__grids__in=ids)
                | Q(grids__in=ids)
                | Q(grids__children__in=ids)
            )
        return condition


class NucleicRound(models.Model):
    class Scope(models.TextChoices):
        DISTRICT = "district", _("全区")
        STREET = "street", _("全街道")
        COMMUNITIES = "communities", _("指定社区")
        GRIDS = "grids", _("指定网格")

    street = models.ForeignKey(
        "regions.Street",
        on_delete=models.PROTECT,
        related_name="test_rounds",
        verbose_name=_("街道"),
    )
    name = models.CharField(_("轮次名称"), max_length=100)
    scope = models.CharField(_("范围"), max_length=12, choices=Scope.choices, default=Scope.STREET)
    communities = models.ManyToManyField(
        "regions.Community", blank=True, related_name="+", verbose_name=_("社区/村")
    )
    grids = models.ManyToManyField(
        "regions.Grid", blank=True, related_name="+", verbose_name=_("网格")
    )
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    min_age = models.PositiveSmallIntegerField(
        _("最低年龄"), null=True, blank=True, help_text=_("按开始当天的周岁计；空表示不限")
    )
    note = models.CharField(_("备注"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = scoped_manager(RoundQuerySet)

    class Meta:
        verbose_name = _("核酸检测轮次")
        verbose_name_plural = _("核酸检测轮次")
        ordering = ["-starts_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="test_round_window"
            )
        ]

    def __str__(self) -> str:
        return self.name


class SamplingSite(models.Model):
    """采样点: where a round samples, and how many persons an hour it can take."""

    round = models.ForeignKey(
        NucleicRound, on_delete=models.CASCADE, related_name="sites", verbose_name=_("轮次")
    )
    name = models.CharField(_("采样点"), max_length=80)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    capacity_per_hour = models.PositiveIntegerField(_("每小时采样能力"), default=0)
    community = optional_fk("regions.Community", _("社区/村"), on_delete=models.SET_NULL)

    class Meta:
        verbose_name = _("采样点")
        verbose_name_plural = _("采样点")
        ordering = ["round", "name"]
        constraints = [
            models.UniqueConstraint(fields=["round", "name"], name="test_site_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class RoundMark(models.Model):
    """A grid worker's mark on a person for one round: the latest one counts, the audit log keeps
    the earlier ones. Away, bedridden and exempt take the person out of the round's target."""

    class Kind(models.TextChoices):
        NOTIFIED = "notified", _("已通知")
        AWAY = "away", _("外出")
        BEDRIDDEN = "bedridden", _("卧床需上门")
        REFUSED = "refused", _("拒绝")
        EXEMPT = "exempt", _("免检")

    EXCLUDING = (Kind.AWAY, Kind.BEDRIDDEN, Kind.EXEMPT)

    round = models.ForeignKey(NucleicRound, on_delete=models.CASCADE, related_name="marks")
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="test_marks")
    kind = models.CharField(_("标记"), max_length=10, choices=Kind.choices)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(_("时间"), auto_now=True)

    objects = scoped_manager(
        street_path="person__household__grid__community__street",
        community_path="person__household__grid__community",
        grid_path="person__household__grid",
    )

    class Meta:
        verbose_name = _("未检人员标记")
        verbose_name_plural = _("未检人员标记")
        constraints = [
            models.UniqueConstraint(fields=["round", "person"], name="round_mark_unique")
        ]

    def __str__(self) -> str:
        return f"{self.person_id}: {self.kind}"

    @property
    def excludes(self) -> bool:
        return self.kind in self.EXCLUDING
