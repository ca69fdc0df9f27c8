"""扫楼清村: a door-to-door campaign over a street's grids, with one form of several checks chosen
from the library (checks.py), a deadline, and who sweeps which grid and building (people's
Assignment rows with source SWEEP and the campaign's id).

When a campaign starts, every household in its scope gets one Visit, carrying its grid and
building so that progress per grid and building is one grouped count over one table.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wangge.core.scoping import Scope, ScopedQuerySet, scoped_manager
from wangge.sweeps.models.visits import swept_by


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    RUNNING = "running", _("进行中")
    CLOSED = "closed", _("已结束")


class CampaignQuerySet(ScopedQuerySet):
    def extra_condition(self, user: object, scope: Scope) -> Q:
        """A sweeper sees the campaigns they are assigned to."""
        campaigns = sorted({campaign for campaign, _grid, _building in swept_by(user)})
        return Q(pk__in=campaigns) if campaigns else Q()


class Campaign(models.Model):
    name = models.CharField(_("名称"), max_length=80)
    street = models.ForeignKey(
        "regions.Street", on_delete=models.PROTECT, related_name="campaigns", verbose_name=_("街道")
    )
    grids = models.ManyToManyField(
        "regions.Grid", related_name="campaigns", verbose_name=_("范围（网格）")
    )
    checks = models.JSONField(_("检查项"), default=list, help_text=_("检查项库中的代码"))
    since = models.DateField(
        _("行程起始日期"), null=True, blank=True, help_text=_("询问此日期以来的行程")
    )
    deadline = models.DateTimeField(_("完成时限"))
    status = models.CharField(
        _("状态"), max_length=10, choices=CampaignStatus.choices, default=CampaignStatus.DRAFT
    )
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    # Street-wide by nature: a community or grid worker sees a campaign through its visits of their
    # area (visits are scoped by grid), and the campaign itself when it covers one of their grids.
    objects = scoped_manager(
        CampaignQuerySet,
        street_path="street",
        community_path="grids__community",
        grid_path="grids",
        multi_valued=True,
    )

    class Meta:
        verbose_name = _("扫楼行动")
        verbose_name_plural = _("扫楼行动")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.name
