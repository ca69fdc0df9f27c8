"""卡点: a gate or roadblock — its kind, its place in the registry, its opening hours and the staff
each shift needs. 服务点 is a checkpoint of kind service point, which also hands out masks and hot
water (seed 000's "五个一").

Who may man a checkpoint (scan, clock on and off, write handover notes) is the action SCAN of
`restrict()`: whoever may edit it (community and street roles: every checkpoint of their area; a
grid worker: those of the grid), and anyone on its duty roster today — a shift of theirs there that
overlaps the local day. Checkpoint staff (role 卡点值守) man only those: their role's area says whom
a roster may name, not where they scan. Checkpoint staff never see the register; their screens show
what a decision needs and no more. The action REPORT (the scan counts and the hourly report) is
VIEW and SCAN together: the register's area, and the checkpoints one mans.
"""

from dataclasses import dataclass, field
from datetime import time
from typing import TYPE_CHECKING, Self, TypeVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wangge.checkpoints.models.rosters import ShiftAssignment, day_bounds
from wangge.core.roles import AREA_ROLES, ROLE_ACTIONS, Action, Role
from wangge.core.scoping import ScopedQuerySet, scope_of, scoped_manager

if TYPE_CHECKING:
    from wangge.accounts.models import User

SCAN = "scan"
REPORT = "report"
SHIFT_HOURS = (4, 6, 8, 12, 24)


@dataclass
class DutyAreas:
    """Where a user mans every checkpoint because they may edit there: everywhere, or these
    streets, communities and grids (a grid with its small grids)."""

    everywhere: bool = False
    streets: set[int] = field(default_factory=set)
    communities: set[int] = field(default_factory=set)
    grids: set[int] = field(default_factory=set)


def duty_areas(user: "User") -> DutyAreas:
    """The areas of the user's roles that may edit there (core.roles; 卡点值守 is not one of
    them), kept on the user object for the request."""
    from wangge.accounts.models import RoleAssignment

    memo = user.__dict__.get("_wangge_duty_areas")
    if memo is not None:
        return memo
    areas = DutyAreas(everywhere=user.is_superuser)
    rows = RoleAssignment.objects.filter(user=user).values_list(
        "role", "street_id", "community_id", "grid_id"
    )
    for role, street_id, community_id, grid_id in rows:
        if role == Role.ADMIN:
            areas.everywhere = True
        elif role in AREA_ROLES and Action.EDIT in ROLE_ACTIONS.get(role, ()):
            for ids, value in (
                (areas.grids, grid_id),
                (areas.communities, community_id),
                (areas.streets, street_id),
            ):
                if value:
                    ids.add(value)
                    break
    user.__dict__["_wangge_duty_areas"] = areas
    return areas


def rostered_today(user: "User") -> QuerySet:
    """The checkpoints (ids) where `user` is on a shift overlapping today's local day: a night
    shift begun yesterday, and one starting later today, count."""
    start, end = day_bounds(timezone.localdate())
    return ShiftAssignment.objects.filter(
        user=user, shift__starts_at__lt=end, shift__ends_at__gt=start
    ).values("shift__checkpoint")


_Rows = TypeVar("_Rows", bound=ScopedQuerySet)


def _reportable(rows: _Rows, user: "User", checkpoint_path: str) -> _Rows:
    """REPORT: the rows of the register's area (VIEW) and those at the checkpoints `user` mans."""
    scope = scope_of(user, Action.VIEW)
    if scope.everything:
        return rows
    manned = Checkpoint.objects.restrict(user, SCAN).values("pk")
    return rows.filter(rows.area_condition(scope) | Q(**{f"{checkpoint_path}__in": manned}))


class CheckpointQuerySet(ScopedQuerySet):
    def restrict(self, user: "User", action: str = Action.VIEW) -> Self:
        """`SCAN`: the checkpoints `user` mans — on today's duty roster, or allowed to edit them.
        `REPORT`: those and the ones the register shows them. Other actions: the register's
        scoping."""
        if action == REPORT:
            return _reportable(self, user, "pk")
        if action != SCAN:
            return super().restrict(user, action)
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        areas = duty_areas(user)
        if areas.everywhere:
            return self
        grids = sorted(areas.grids)
        return self.filter(
            Q(pk__in=rostered_today(user))
            | Q(community__street__in=sorted(areas.streets))
            | Q(community__in=sorted(areas.communities))
            | Q(grid__in=grids)
            | Q(grid__parent__in=grids)
        )


class AtCheckpointQuerySet(ScopedQuerySet):
    """Rows that belong to a checkpoint (scans, handouts): `REPORT` adds, to the register's area,
    the checkpoints the user mans, so that the reports of checkpoint staff count their own gates."""

    def restrict(self, user: "User", action: str = Action.VIEW) -> Self:
        if action != REPORT:
            return super().restrict(user, action)
        return _reportable(self, user, "checkpoint")


def at_checkpoint_manager() -> models.Manager:
    """The manager of rows that belong to a checkpoint (handouts, door controllers): seen in the
    checkpoint's area, and `REPORT` as `AtCheckpointQuerySet` says."""
    return scoped_manager(
        AtCheckpointQuerySet,
        street_path="checkpoint__community__street",
        community_path="checkpoint__community",
        grid_path="checkpoint__grid",
    )


class Checkpoint(models.Model):
    class Kind(models.TextChoices):
        UNMANAGED_COURTYARD = "unmanaged_courtyard", _("无主管楼院")
        WORK_UNIT_COMPOUND = "work_unit_compound", _("单位家属院")
        PUBLIC_INSTITUTION = "public_institution", _("公共单位")
        PUBLIC_PLACE = "public_place", _("公共场所")
        COMPOUND_GATE = "compound_gate", _("小区门岗")
        TRAFFIC = "traffic", _("交通卡口")
        SERVICE_POINT = "service_point", _("服务点")

    name = models.CharField(_("卡点名称"), max_length=80)
    kind = models.CharField(_("类型"), max_length=24, choices=Kind.choices)
    community = models.ForeignKey(
        "regions.Community",
        on_delete=models.PROTECT,
        related_name="checkpoints",
        verbose_name=_("社区/村"),
    )
    grid = models.ForeignKey(
        "regions.Grid",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="checkpoints",
        verbose_name=_("网格"),
    )
    compound = models.ForeignKey(
        "regions.Compound",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="checkpoints",
        verbose_name=_("小区/楼院"),
    )
    building = models.ForeignKey(
        "regions.Building",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="checkpoints",
        verbose_name=_("楼栋"),
    )
    address = models.CharField(_("地址"), max_length=200, blank=True)
    opens_at = models.TimeField(_("开放时间"), default=time(0))
    closes_at = models.TimeField(
        _("关闭时间"), default=time(0), help_text=_("与开放时间相同即24小时值守")
    )
    shift_hours = models.PositiveSmallIntegerField(
        _("每班时长（小时）"), default=8, choices=[(h, f"{h}") for h in SHIFT_HOURS]
    )
    staff_per_shift = models.PositiveSmallIntegerField(
        _("每班所需人数"), default=2, validators=[MinValueValidator(1)]
    )
    passes_required = models.BooleanField(
        _("外出查验出入证"), default=False, help_text=_("管控期间每户按出入证规则外出")
    )
    code_sealed = models.TextField(editable=False)
    code_hash = models.CharField(max_length=40, unique=True, editable=False)
    active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    objects = scoped_manager(
        CheckpointQuerySet,
        street_path="community__street",
        community_path="community",
        grid_path="grid",
    )

    class Meta:
        verbose_name = _("卡点")
        verbose_name_plural = _("卡点")
        ordering = ["community", "name"]
        constraints = [
            models.UniqueConstraint(fields=["community", "name"], name="checkpoint_unique_name"),
            models.CheckConstraint(
                condition=Q(staff_per_shift__gte=1), name="checkpoint_staff_per_shift"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if not (self.compound_id or self.building_id or self.address.strip()):
            raise ValidationError(
                _("请选择小区、楼栋或填写地址 / give a compound, a building or an address")
            )

    @property
    def round_the_clock(self) -> bool:
        return self.opens_at == self.closes_at

    @property
    def place(self) -> str:
        if self.building is not None:
            return str(self.building)
        if self.compound is not None:
            return self.compound.name
        return self.address

    @property
    def is_service_point(self) -> bool:
        return self.kind == self.Kind.SERVICE_POINT


class Handout(models.Model):
    """What a service point handed out (free masks, hot water …), one tap at a time."""

    class Item(models.TextChoices):
        MASK = "mask", _("口罩")
        HOT_WATER = "hot_water", _("热水")
        MEDICINE = "medicine", _("常用药")
        OTHER = "other", _("其他")

    checkpoint = models.ForeignKey(
        Checkpoint, on_delete=models.CASCADE, related_name="handouts", verbose_name=_("卡点")
    )
    item = models.CharField(_("物品"), max_length=12, choices=Item.choices)
    quantity = models.PositiveIntegerField(_("数量"), default=1)
    client_id = models.CharField(max_length=64, unique=True)
    at = models.DateTimeField(_("时间"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    objects = at_checkpoint_manager()

    class Meta:
        verbose_name = _("服务点发放")
        verbose_name_plural = _("服务点发放")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["checkpoint", "at"])]

    def __str__(self) -> str:
        return f"{self.checkpoint_id} {self.item} ×{self.quantity}"
