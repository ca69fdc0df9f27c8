"""事件: something that happened and must be handled — a 12345 call, a grid report, a positive test,
a fever at a checkpoint — with its place (down to the household), the people involved, the unit
that owns it and the tasks it spawned.

The first unit to receive an event owns it until it hands it on explicitly (EventLog keeps the
chain). An event with a reporter closes with the reporter's satisfaction.
"""

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wangge.accounts.models import User
from wangge.command.models.logs import ActionLog
from wangge.core.fields import optional_fk
from wangge.core.scoping import Scope, ScopedQuerySet, area_match


class EventKind(models.Model):
    """Configuration. Presets: hotline_12345, grid_report, positive_test, checkpoint_fever, other."""

    code = models.SlugField(_("代码"), max_length=30, unique=True)
    name = models.CharField(_("名称"), max_length=50, unique=True)
    builtin = models.BooleanField(_("内置"), default=False)

    class Meta:
        verbose_name = _("事件类型")
        verbose_name_plural = _("事件类型")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class EventQuerySet(ScopedQuerySet):
    """Seen by the street, by the community and grid of its place or owning it, by its owning
    department's members and by whoever raised it."""

    def area_condition(self, scope: Scope) -> Q:
        return area_match(
            scope,
            streets=("street",),
            communities=("community", "owner_community"),
            grids=("grid", "owner_grid"),
        )

    def extra_condition(self, user: User, scope: Scope) -> Q:
        if not getattr(user, "pk", None):
            return Q()
        departments = user.departments.values("pk")
        return Q(raised_by=user) | Q(owner_department__in=departments)


class Event(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("待响应")
        RESPONDED = "responded", _("处置中")
        RESOLVED = "resolved", _("已办结")
        CLOSED = "closed", _("已关闭")

    class Satisfaction(models.TextChoices):
        SATISFIED = "satisfied", _("满意")
        BASIC = "basic", _("基本满意")
        DISSATISFIED = "dissatisfied", _("不满意")

    kind = models.ForeignKey(
        EventKind, on_delete=models.PROTECT, related_name="events", verbose_name=_("类型")
    )
    title = models.CharField(_("标题"), max_length=200)
    description = models.TextField(_("情况"), blank=True)
    source = models.CharField(_("来源"), max_length=200)
    street = models.ForeignKey(
        "regions.Street", on_delete=models.PROTECT, related_name="+", verbose_name=_("街道")
    )
    community = optional_fk("regions.Community", _("社区"))
    grid = optional_fk("regions.Grid", _("网格"))
    building = optional_fk("regions.Building", _("楼栋"))
    household = optional_fk("regions.Household", _("户"))
    persons = models.ManyToManyField(
        "people.Person", blank=True, related_name="+", verbose_name=_("涉及人员")
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    owner_street = optional_fk("regions.Street", _("承办：街道指挥中心"))
    owner_community = optional_fk("regions.Community", _("承办社区"))
    owner_grid = optional_fk("regions.Grid", _("承办网格"))
    owner_department = optional_fk("command.Department", _("承办部门"))
    reporter_name = models.CharField(_("反映人"), max_length=50, blank=True)
    reporter_phone_sealed = models.TextField(blank=True, editable=False)
    reporter_phone_masked = models.CharField(_("反映人电话"), max_length=20, blank=True)
    satisfaction = models.CharField(
        _("满意度"), max_length=12, choices=Satisfaction.choices, blank=True
    )
    raised_by = optional_fk(settings.AUTH_USER_MODEL, _("登记人"), on_delete=models.SET_NULL)
    raised_at = models.DateTimeField(_("接报时间"), db_index=True)
    responded_at = models.DateTimeField(_("响应时间"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("关闭时间"), null=True, blank=True)

    objects = models.Manager.from_queryset(EventQuerySet)()

    class Meta:
        verbose_name = _("事件")
        verbose_name_plural = _("事件")
        ordering = ["-raised_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(owner_street__isnull=False)
                    & Q(owner_community__isnull=True)
                    & Q(owner_grid__isnull=True)
                    & Q(owner_department__isnull=True)
                )
                | (
                    Q(owner_street__isnull=True)
                    & Q(owner_community__isnull=False)
                    & Q(owner_grid__isnull=True)
                    & Q(owner_department__isnull=True)
                )
                | (
                    Q(owner_street__isnull=True)
                    & Q(owner_community__isnull=True)
                    & Q(owner_grid__isnull=False)
                    & Q(owner_department__isnull=True)
                )
                | (
                    Q(owner_street__isnull=True)
                    & Q(owner_community__isnull=True)
                    & Q(owner_grid__isnull=True)
                    & Q(owner_department__isnull=False)
                ),
                name="event_one_owner",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def owner(self) -> Any:
        return self.owner_grid or self.owner_community or self.owner_department or self.owner_street

    @property
    def owner_label(self) -> str:
        if self.owner_street_id:
            return _("%(street)s指挥中心") % {"street": self.owner_street}
        return str(self.owner)

    @property
    def has_reporter(self) -> bool:
        return bool(self.reporter_name or self.reporter_phone_sealed)


class EventLog(ActionLog):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="log")

    class Meta(ActionLog.Meta):
        verbose_name = _("事件记录")
        verbose_name_plural = _("事件记录")

    def __str__(self) -> str:
        return f"{self.event_id} {self.action}"
