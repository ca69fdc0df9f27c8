"""The daily report's snapshots (docs/reports.md): one per street and day, with when and by whom it
was built, and one row of figures per area of that day (the street, each community, each grid).
A snapshot is written once and read from then on, so a past day never changes when the register
does; only a rebuild (audited) replaces it."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Snapshot(models.Model):
    street = models.ForeignKey(
        "regions.Street", on_delete=models.CASCADE, related_name="+", verbose_name=_("街道")
    )
    day = models.DateField(_("日期"))
    built_at = models.DateTimeField(_("生成时间"))
    built_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("生成人"),
    )

    class Meta:
        verbose_name = _("日报快照")
        verbose_name_plural = _("日报快照")
        ordering = ["-day"]
        constraints = [
            models.UniqueConstraint(fields=["street", "day"], name="report_snapshot_once_a_day")
        ]

    def __str__(self) -> str:
        return f"{self.street} {self.day:%Y-%m-%d}"


class Level(models.TextChoices):
    STREET = "street", _("街道")
    COMMUNITY = "community", _("社区")
    GRID = "grid", _("网格")


class AreaFigures(models.Model):
    """The figures of one area on one day: a flat JSON object of counts (docs/reports.md)."""

    snapshot = models.ForeignKey(Snapshot, on_delete=models.CASCADE, related_name="areas")
    day = models.DateField(_("日期"))
    level = models.CharField(_("层级"), max_length=10, choices=Level.choices)
    area_id = models.PositiveIntegerField(_("区域编号"))
    name = models.CharField(_("区域名称"), max_length=120)
    figures = models.JSONField(_("指标"), default=dict)

    class Meta:
        verbose_name = _("区域日报")
        verbose_name_plural = _("区域日报")
        constraints = [
            models.UniqueConstraint(
                fields=["day", "level", "area_id"], name="report_area_once_a_day"
            )
        ]
        indexes = [models.Index(fields=["level", "area_id", "day"], name="report_area_series")]

    def __str__(self) -> str:
        return f"{self.name} {self.day:%Y-%m-%d}"
