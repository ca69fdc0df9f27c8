"""五色 beside the registry: manual colour overrides, the colour history, marker rules and the
per-room switch of a compound's notice-board plan. The stored colour itself is `Household.colour`.

See docs/colours.md for the colour rule.
"""

from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wangge.core.scoping import ScopedQuerySet, scoped_manager
from wangge.regions.choices import ColourReason, HouseholdColour, Marker

HOUSEHOLD_PATHS = {
    "street_path": "household__grid__community__street",
    "community_path": "household__grid__community",
    "grid_path": "household__grid",
}


class OverrideQuerySet(ScopedQuerySet):
    def in_force(self, at: object = None) -> "OverrideQuerySet":
        """Overrides that decide a colour at `at` (now): not ended, not yet expired."""
        return self.filter(ended_at__isnull=True, expires_at__gt=at or timezone.now())


class HouseholdColourOverride(models.Model):
    """A colour set by hand (e.g. a household sealed by the community): it wins until it expires
    or is lifted. At most one per household is open at a time."""

    class End(models.TextChoices):
        LIFTED = "lifted", _("撤销")
        EXPIRED = "expired", _("到期")
        REPLACED = "replaced", _("被新设定取代")

    household = models.ForeignKey(
        "regions.Household",
        on_delete=models.CASCADE,
        related_name="colour_overrides",
        verbose_name=_("户"),
    )
    colour = models.CharField(_("户色"), max_length=6, choices=HouseholdColour.choices)
    reason = models.CharField(_("理由"), max_length=300)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    set_at = models.DateTimeField(_("设定时间"), default=timezone.now)
    expires_at = models.DateTimeField(_("到期时间"))
    ended_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    end_kind = models.CharField(_("结束方式"), max_length=10, choices=End.choices, blank=True)
    end_reason = models.CharField(_("结束理由"), max_length=300, blank=True)

    objects = scoped_manager(OverrideQuerySet, **HOUSEHOLD_PATHS)

    class Meta:
        verbose_name = _("人工户色")
        verbose_name_plural = _("人工户色")
        ordering = ["-set_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["household"],
                condition=Q(ended_at__isnull=True),
                name="one_open_colour_override",
            )
        ]
        indexes = [models.Index(fields=["ended_at", "expires_at"])]

    def __str__(self) -> str:
        return f"{self.household_id} → {self.colour}"


class HouseholdColourChange(models.Model):
    """One change of a household's stored colour: when, from what, to what, and why."""

    household = models.ForeignKey(
        "regions.Household",
        on_delete=models.CASCADE,
        related_name="colour_changes",
        verbose_name=_("户"),
    )
    at = models.DateTimeField(_("时间"), default=timezone.now)
    old = models.CharField(_("原户色"), max_length=6, choices=HouseholdColour.choices)
    new = models.CharField(_("新户色"), max_length=6, choices=HouseholdColour.choices)
    reason = models.CharField(_("原因"), max_length=20, choices=ColourReason.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = scoped_manager(**HOUSEHOLD_PATHS)

    class Meta:
        verbose_name = _("户色变更")
        verbose_name_plural = _("户色变更")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["household", "at"])]

    def __str__(self) -> str:
        return f"{self.household_id}: {self.old} → {self.new} ({self.reason})"


class MarkerRule(models.Model):
    """Tag → marker: a member with the tag puts the marker on the household's cell. Public
    markers (党员, 楼栋长, 党小组长: whom residents may turn to) also appear on the notice-board
    plan; a rule for a sensitive tag is never public."""

    tag = models.OneToOneField(
        "people.Tag", on_delete=models.CASCADE, related_name="marker_rule", verbose_name=_("标签")
    )
    marker = models.CharField(_("标记"), max_length=12, choices=Marker.choices)
    public = models.BooleanField(_("公示"), default=False, help_text=_("在张贴版平面图上显示"))

    class Meta:
        verbose_name = _("标记规则")
        verbose_name_plural = _("标记规则")
        ordering = ["marker", "tag_id"]

    def __str__(self) -> str:
        return f"{self.tag_id} → {self.marker}"

    def clean(self) -> None:
        if self.public and self.tag_id and self.tag.sensitive:
            raise ValidationError(
                {"public": _("敏感标签的标记不能公示 / a sensitive tag's marker is never public")}
            )


class PublicPlanSwitch(models.Model):
    """A commander's decision that a compound's notice-board plan shows every room's colour
    (seed 003's version) instead of counts per unit: with a reason, until it expires."""

    compound = models.ForeignKey(
        "regions.Compound",
        on_delete=models.CASCADE,
        related_name="public_plan_switches",
        verbose_name=_("小区/楼院"),
    )
    reason = models.CharField(_("理由"), max_length=300)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    set_at = models.DateTimeField(_("设定时间"), default=timezone.now)
    expires_at = models.DateTimeField(_("到期时间"))
    lifted_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = scoped_manager(
        street_path="compound__community__street",
        community_path="compound__community",
        grid_path="compound__buildings__grid",
        multi_valued=True,
    )

    class Meta:
        verbose_name = _("张贴版逐户公示")
        verbose_name_plural = _("张贴版逐户公示")
        ordering = ["-set_at", "-id"]

    def __str__(self) -> str:
        return f"{self.compound_id} until {self.expires_at:%Y-%m-%d}"

    def in_force(self, at: datetime | None = None) -> bool:
        return self.lifted_at is None and self.expires_at > (at or timezone.now())
