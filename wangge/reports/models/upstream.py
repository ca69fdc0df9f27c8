"""The district's upstream tables (一表通, docs/reports.md "Enter once"): a template is the .xlsx the
district supplies plus the mapping of its cells to report figures; a fill is one table filled from
a day's approved figures and sent upward, kept with exactly what it said about each community
("back down": every community sees what upstream received about it, and when).

Templates and filled tables are small (a few hundred KB) and are kept in the database, so that
they are backed up, restored and deleted with the rows that name them."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class UpstreamTemplate(models.Model):
    street = models.ForeignKey(
        "regions.Street", on_delete=models.CASCADE, related_name="+", verbose_name=_("街道")
    )
    name = models.CharField(_("报表名称"), max_length=120)
    recipient = models.CharField(_("报送单位"), max_length=120)
    file_name = models.CharField(_("模板文件名"), max_length=200)
    content = models.BinaryField(_("模板文件"))
    mapping = models.JSONField(_("单元格对应"), default=dict)
    active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(_("上传时间"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("上传人"),
    )

    class Meta:
        verbose_name = _("上报模板")
        verbose_name_plural = _("上报模板")
        ordering = ["street", "name"]
        constraints = [
            models.UniqueConstraint(fields=["street", "name"], name="report_template_name")
        ]

    def __str__(self) -> str:
        return self.name


class UpstreamFill(models.Model):
    template = models.ForeignKey(
        UpstreamTemplate, on_delete=models.PROTECT, related_name="fills", verbose_name=_("模板")
    )
    day = models.DateField(_("数据日期"))
    content = models.BinaryField(_("填好的报表"))
    file_name = models.CharField(_("文件名"), max_length=200)
    street_filled = models.BooleanField(_("街道合计已填"), default=False)
    made_at = models.DateTimeField(_("上报时间"))
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("上报人"),
    )

    class Meta:
        verbose_name = _("上报记录")
        verbose_name_plural = _("上报记录")
        ordering = ["-made_at", "-pk"]
        indexes = [models.Index(fields=["template", "day"], name="report_fill_day")]

    def __str__(self) -> str:
        return f"{self.template} {self.day:%Y-%m-%d}"


class UpstreamFillArea(models.Model):
    """What one fill told upstream about one community: the figures written into its row, from
    the approval then in force; a community not approved that day has no row here."""

    fill = models.ForeignKey(UpstreamFill, on_delete=models.CASCADE, related_name="areas")
    community = models.ForeignKey(
        "regions.Community", on_delete=models.PROTECT, related_name="+", verbose_name=_("社区")
    )
    figures = models.JSONField(_("上报数据"), default=dict)
    approved_at = models.DateTimeField(_("审批时间"))

    class Meta:
        verbose_name = _("上报的社区数据")
        verbose_name_plural = _("上报的社区数据")
        constraints = [
            models.UniqueConstraint(fields=["fill", "community"], name="report_fill_area_once")
        ]
        indexes = [models.Index(fields=["community"], name="report_fill_area_community")]

    def __str__(self) -> str:
        return f"{self.fill} {self.community}"
