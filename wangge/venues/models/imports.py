"""场所导入: one venue file imported into a street, run as a job (core.jobs); the import keeps its
file, its counts, the first problems and its error report, and the job keeps the progress."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from wangge.core.fields import ImportStatus


class VenueImport(models.Model):
    Status = ImportStatus

    street = models.ForeignKey(
        "regions.Street", on_delete=models.PROTECT, related_name="+", verbose_name=_("街道")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("导入人"),
    )
    file = models.FileField(_("文件"), upload_to="venues/imports/%Y/%m/")
    original_name = models.CharField(_("文件名"), max_length=200)
    job = models.OneToOneField(
        "core.Job", on_delete=models.SET_NULL, null=True, blank=True, related_name="venue_import"
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    rows_total = models.PositiveIntegerField(default=0)
    counts = models.JSONField(default=dict, blank=True)
    first_errors = models.JSONField(default=list, blank=True)
    error_report = models.CharField(max_length=300, blank=True)
    message = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("场所导入")
        verbose_name_plural = _("场所导入")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.original_name} ({self.get_status_display()})"

    @property
    def progress_percent(self) -> int:
        """The job's progress: the import keeps none of its own."""
        return self.job.progress_percent if self.job else 0
