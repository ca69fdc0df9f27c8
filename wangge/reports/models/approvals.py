"""A community's approval of its figures of a day, as DHIS2's data approval does it
(docs/reports.md "Approval"): the figures go upward only once the community has approved them;
approved figures are locked (the day's snapshot is not rebuilt); an unapproval needs a reason.
`Approval` holds the approvals in force, `ApprovalChange` every approval and unapproval ever made."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Approval(models.Model):
    community = models.ForeignKey(
        "regions.Community", on_delete=models.PROTECT, related_name="+", verbose_name=_("社区")
    )
    day = models.DateField(_("日期"))
    approved_at = models.DateTimeField(_("审批时间"))
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("审批人"),
    )

    class Meta:
        verbose_name = _("日报审批")
        verbose_name_plural = _("日报审批")
        constraints = [
            models.UniqueConstraint(fields=["community", "day"], name="report_approval_once")
        ]
        indexes = [models.Index(fields=["day"], name="report_approval_day")]

    def __str__(self) -> str:
        return f"{self.community} {self.day:%Y-%m-%d}"


class ApprovalChange(models.Model):
    class Kind(models.TextChoices):
        APPROVE = "approve", _("审批通过")
        UNAPPROVE = "unapprove", _("撤销审批")

    community = models.ForeignKey(
        "regions.Community", on_delete=models.PROTECT, related_name="+", verbose_name=_("社区")
    )
    day = models.DateField(_("日期"))
    kind = models.CharField(_("操作"), max_length=10, choices=Kind.choices)
    at = models.DateTimeField(_("时间"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("操作人"),
    )
    reason = models.TextField(_("原因"), blank=True)

    class Meta:
        verbose_name = _("审批记录")
        verbose_name_plural = _("审批记录")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["community", "day"], name="report_approval_history")]

    def __str__(self) -> str:
        return f"{self.community} {self.day:%Y-%m-%d} {self.get_kind_display()}"
