"""场所登记: the kinds of venue (with the synonyms people write for them), the venues themselves,
the people who work there, and each venue's timeline of everything that happened to it.

A venue sits in one grid of one community. Who inspects it (the action INSPECT): the inspectors
(检查员) of its area, and the community workers, grid workers and command of it. Who sees it:
whoever sees the register of its area, and whoever inspects it.
"""

from typing import Any, Self

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wangge.core import crypto
from wangge.core.masking import mask_phone
from wangge.core.roles import Action
from wangge.core.scoping import ScopedQuerySet, scoped_manager

INSPECT = Action.INSPECT


class VenueKind(models.Model):
    """餐饮店, 商超 …: a kind of venue, its synonyms (饭店/餐馆 → 餐饮店) and its checklist."""

    name = models.CharField(_("类别"), max_length=30, unique=True)
    synonyms = models.JSONField(
        _("别名"), default=list, blank=True, help_text=_("导入时也认这些写法，如“饭店”“餐馆”")
    )
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("场所类别")
        verbose_name_plural = _("场所类别")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class VenueStatus(models.TextChoices):
    OPEN = "open", _("营业")
    YELLOW = "yellow", _("黄牌整改中")
    RED = "red", _("红牌停业整顿")
    CLOSED = "closed", _("歇业")


class VenueQuerySet(ScopedQuerySet):
    """VIEW is the register's VIEW together with INSPECT (an inspector sees the venues of their
    area, and nothing else of the register); the other actions are the register's."""

    def restrict(self, user: Any, action: str = Action.VIEW) -> Self:
        if action != Action.VIEW:
            return super().restrict(user, action)
        inspected = super().restrict(user, Action.INSPECT)
        return super().restrict(user, action) | inspected


class Venue(models.Model):
    name = models.CharField(_("场所名称"), max_length=100)
    kind = models.ForeignKey(
        VenueKind, on_delete=models.PROTECT, related_name="venues", verbose_name=_("类别")
    )
    grid = models.ForeignKey(
        "regions.Grid", on_delete=models.PROTECT, related_name="venues", verbose_name=_("网格")
    )
    address = models.CharField(_("地址"), max_length=200, blank=True)
    uscc = models.CharField(
        _("统一社会信用代码"), max_length=18, blank=True, help_text=_("GB 32100-2015，18位")
    )
    responsible_name = models.CharField(_("负责人"), max_length=50, blank=True)
    responsible_phone_sealed = models.TextField(blank=True, editable=False)
    responsible_phone_hash = models.CharField(max_length=40, blank=True, editable=False)
    responsible_phone_masked = models.CharField(
        _("负责人电话"), max_length=20, blank=True, editable=False
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=VenueStatus.choices, default=VenueStatus.OPEN
    )
    status_since = models.DateTimeField(_("状态起始"), null=True, blank=True)
    staff_count = models.PositiveIntegerField(_("从业人数"), default=0)
    latitude = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(
        _("经度"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    # The venue code (场所码): a random token like the checkpoints' codes, never personal data.
    code_sealed = models.TextField(editable=False)
    code_hash = models.CharField(max_length=40, unique=True, editable=False)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = scoped_manager(
        VenueQuerySet,
        street_path="grid__community__street",
        community_path="grid__community",
        grid_path="grid",
    )

    class Meta:
        verbose_name = _("场所")
        verbose_name_plural = _("场所")
        ordering = ["grid", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["uscc"], condition=~Q(uscc=""), name="venue_unique_uscc"
            )
        ]
        indexes = [
            models.Index(fields=["grid", "name"], name="venue_grid_name"),
            models.Index(fields=["status"], name="venue_status"),
        ]

    def __str__(self) -> str:
        return self.name

    def set_responsible_phone(self, phone: str) -> None:
        """Store the responsible person's phone (already parsed) sealed, hashed and masked."""
        if not phone:
            self.responsible_phone_sealed = self.responsible_phone_hash = ""
            self.responsible_phone_masked = ""
            return
        self.responsible_phone_sealed = crypto.seal(phone)
        self.responsible_phone_hash = crypto.blind_index(phone)
        self.responsible_phone_masked = mask_phone(phone)

    @property
    def responsible_phone(self) -> str:
        return crypto.unseal(self.responsible_phone_sealed) if self.responsible_phone_sealed else ""


class VenueStaff(models.Model):
    """从业人员: someone who works at a venue; linked to the register when they live in the street,
    so the venue's page shows their own codes and their latest test."""

    venue = models.ForeignKey(
        Venue, on_delete=models.CASCADE, related_name="staff", verbose_name=_("场所")
    )
    person = models.ForeignKey(
        "people.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="venue_jobs",
        verbose_name=_("人员"),
    )
    name = models.CharField(_("姓名"), max_length=50)
    role = models.CharField(_("岗位"), max_length=50, blank=True)

    objects = scoped_manager(
        VenueQuerySet,
        street_path="venue__grid__community__street",
        community_path="venue__grid__community",
        grid_path="venue__grid",
    )

    class Meta:
        verbose_name = _("从业人员")
        verbose_name_plural = _("从业人员")
        ordering = ["venue", "name"]

    def __str__(self) -> str:
        return self.name


class EventKind(models.TextChoices):
    CREATED = "created", _("登记")
    UPDATED = "updated", _("修改")
    IMPORTED = "imported", _("导入更新")
    INSPECTED = "inspected", _("检查")
    YELLOW = "yellow", _("黄牌")
    RED = "red", _("红牌")
    CARD_CLOSED = "card_closed", _("销牌")
    SUSPENDED = "suspended", _("停业整顿")
    REOPENED = "reopened", _("恢复营业")
    STATUS = "status", _("状态变更")
    DISINFECTED = "disinfected", _("消杀")


class VenueEvent(models.Model):
    """One line of a venue's timeline: what happened, when, by whom and why."""

    venue = models.ForeignKey(
        Venue, on_delete=models.CASCADE, related_name="events", verbose_name=_("场所")
    )
    kind = models.CharField(_("事项"), max_length=20, choices=EventKind.choices)
    at = models.DateTimeField(_("时间"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("操作人"),
    )
    text = models.CharField(_("说明"), max_length=300, blank=True)
    changes = models.JSONField(default=dict, blank=True)

    objects = scoped_manager(
        VenueQuerySet,
        street_path="venue__grid__community__street",
        community_path="venue__grid__community",
        grid_path="venue__grid",
    )

    class Meta:
        verbose_name = _("场所动态")
        verbose_name_plural = _("场所动态")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["venue", "-at"], name="venue_event_time")]

    def __str__(self) -> str:
        return f"{self.venue_id} {self.kind}"
