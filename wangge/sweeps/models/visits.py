"""入户走访: one Visit per household of a campaign, and the attempts made at its door.

The visit's status follows its attempts (services/visits.py): ANSWERED when someone at home
answered the form; REFUSED and MOVED close it as they say; after three NOBODY_HOME attempts at
different times of day (morning, afternoon, evening) a proxy answer from a neighbour or the
building manager may close it as PROXY. Each attempt carries the phone's own id (client_id), so a
queue synced twice records it once.
"""

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wangge.core.scoping import Scope, ScopedQuerySet, scoped_manager
from wangge.people.models import Assignment


class VisitStatus(models.TextChoices):
    PENDING = "pending", _("待走访")
    ANSWERED = "answered", _("已完成")
    PROXY = "proxy", _("代答完成")
    REFUSED = "refused", _("拒绝")
    MOVED = "moved", _("已搬离")


class AttemptResult(models.TextChoices):
    ANSWERED = "answered", _("已应答")
    NOBODY_HOME = "nobody_home", _("无人在家，已留条")
    REFUSED = "refused", _("拒绝")
    MOVED = "moved", _("已搬离")
    PROXY = "proxy", _("邻居/楼管代答")


def swept_by(user: Any) -> list[tuple[int, int | None, int | None]]:
    """(campaign, grid, building) of the user's sweeper assignments; cached on the user object for
    the request, as accounts caches the user's scopes."""
    if not getattr(user, "pk", None):
        return []
    cache = user.__dict__.setdefault("_wangge_sweeps", {})
    if "rows" not in cache:
        cache["rows"] = list(
            Assignment.objects.held_by(user)
            .filter(source=Assignment.Source.SWEEP, source_id__isnull=False)
            .values_list("source_id", "grid_id", "building_id")
        )
    return cache["rows"]


def sweeper_condition(user: Any, prefix: str = "") -> Q:
    """The visits a user sweeps: the grids and buildings assigned to them (duty SWEEPER, source
    SWEEP, source_id the campaign's id), whatever their role. `prefix` leads from a related row to
    its visit ("visit__")."""
    condition = Q()
    for campaign, grid, building in swept_by(user):
        place = Q(**{f"{prefix}grid_id": grid}) if grid else Q(**{f"{prefix}building_id": building})
        condition |= Q(**{f"{prefix}campaign_id": campaign}) & place
    return condition


class VisitQuerySet(ScopedQuerySet):
    def extra_condition(self, user: object, scope: Scope) -> Q:
        return sweeper_condition(user)


class SweptQuerySet(ScopedQuerySet):
    """Attempts and proposals: their visit's area, or the visit swept by the user."""

    def extra_condition(self, user: object, scope: Scope) -> Q:
        return sweeper_condition(user, "visit__")


class Visit(models.Model):
    campaign = models.ForeignKey(
        "sweeps.Campaign", on_delete=models.CASCADE, related_name="visits", verbose_name=_("行动")
    )
    household = models.ForeignKey(
        "regions.Household", on_delete=models.CASCADE, related_name="sweep_visits"
    )
    grid = models.ForeignKey("regions.Grid", on_delete=models.PROTECT, related_name="+")
    building = models.ForeignKey("regions.Building", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        _("状态"), max_length=10, choices=VisitStatus.choices, default=VisitStatus.PENDING
    )
    answers = models.JSONField(_("答复"), default=dict, blank=True)
    # 已核查人数: the members the answer accounted for as living here, set when the visit closes
    # as answered or by proxy, so progress sums one column of one table (selectors/progress.py).
    persons = models.PositiveSmallIntegerField(_("核查人数"), default=0)
    proxy_name = models.CharField(_("代答人"), max_length=50, blank=True)
    proxy_relation = models.CharField(_("代答人身份"), max_length=30, blank=True)
    closed_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = scoped_manager(
        VisitQuerySet,
        street_path="grid__community__street",
        community_path="grid__community",
        grid_path="grid",
    )

    class Meta:
        verbose_name = _("入户走访")
        verbose_name_plural = _("入户走访")
        ordering = ["campaign_id", "building_id", "household_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "household"], name="visit_one_per_household"
            )
        ]
        indexes = [
            # Covers the progress count (selectors/progress.py): read from the index alone.
            models.Index(
                fields=["campaign", "grid", "building", "status", "persons"],
                name="visit_progress_grid",
            ),
            models.Index(fields=["campaign", "building", "status"], name="visit_progress_building"),
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id}/{self.household_id}"


class Attempt(models.Model):
    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="attempts")
    client_id = models.UUIDField(_("客户端编号"), unique=True)
    at = models.DateTimeField(_("走访时间"))
    result = models.CharField(_("结果"), max_length=12, choices=AttemptResult.choices)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    received_at = models.DateTimeField(auto_now_add=True)

    objects = scoped_manager(
        SweptQuerySet,
        street_path="visit__grid__community__street",
        community_path="visit__grid__community",
        grid_path="visit__grid",
    )

    class Meta:
        verbose_name = _("走访记录")
        verbose_name_plural = _("走访记录")
        ordering = ["visit_id", "at"]

    def __str__(self) -> str:
        return f"{self.visit_id} {self.at:%Y-%m-%d %H:%M} {self.result}"


class ProposalStatus(models.TextChoices):
    PROPOSED = "proposed", _("待确认")
    CONFIRMED = "confirmed", _("已确认")
    REJECTED = "rejected", _("已驳回")


class Proposal(models.Model):
    """What a visit found that would change the register or call for action: a changed phone, a
    person moved out, a returnee, an unvaccinated elder. Nothing is applied until the grid worker
    of the household confirms it (services/proposals.py)."""

    class Kind(models.TextChoices):
        PERSON_FIELD = "person_field", _("人员信息变更")
        MOVED_OUT = "moved_out", _("人员迁出")
        NEW_PERSON = "new_person", _("新增人员")
        RETURNEE = "returnee", _("返乡/来访人员")
        UNVACCINATED = "unvaccinated", _("未接种老人")
        NEED = "need", _("困难需求")

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="proposals")
    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(_("类别"), max_length=14, choices=Kind.choices)
    details = models.JSONField(_("内容"), default=dict)
    status = models.CharField(
        _("状态"), max_length=10, choices=ProposalStatus.choices, default=ProposalStatus.PROPOSED
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    outcome = models.CharField(_("处理结果"), max_length=200, blank=True)
    # What a confirmed finding became: the person changed or registered, the arrival report, the task.
    outcome_model = models.CharField(_("结果类型"), max_length=40, blank=True)
    outcome_id = models.PositiveBigIntegerField(_("结果编号"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = scoped_manager(
        SweptQuerySet,
        street_path="visit__grid__community__street",
        community_path="visit__grid__community",
        grid_path="visit__grid",
    )

    class Meta:
        verbose_name = _("走访发现")
        verbose_name_plural = _("走访发现")
        ordering = ["status", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="proposed", decided_at__isnull=True)
                | ~Q(status="proposed") & Q(decided_at__isnull=False),
                name="proposal_decided_when_decided",
            )
        ]

    def __str__(self) -> str:
        return f"{self.visit_id} {self.kind}"
