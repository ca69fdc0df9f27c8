"""The job record: what runs, for whom, how far it got, and who holds it now.

The queue (huey) only wakes workers; the state lives here. A worker holds a running job under a
lease (`lease_until`) which its heartbeat renews; a job whose lease has run out is taken back by the
reaper and run again by another worker (services.job_reap).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wangge.core.origin import Origin


class Job(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("进行中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    kind = models.CharField(_("类型"), max_length=40)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("发起人"),
    )
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    counts = models.JSONField(default=dict, blank=True)
    # What the job was asked for (an export's filters; the request's origin, params["origin"]) and
    # why (an export's stated purpose).
    params = models.JSONField(default=dict, blank=True)
    reason = models.CharField(max_length=300, blank=True)
    message = models.CharField(max_length=500, blank=True)
    # Paths under MEDIA_ROOT: the rejected rows of an import; the file an export produced.
    error_report = models.CharField(max_length=300, blank=True)
    result_file = models.CharField(max_length=300, blank=True)
    # A result file is downloadable by its owner until then.
    expires_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    worker = models.CharField(max_length=100, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("后台任务")
        verbose_name_plural = _("后台任务")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "lease_until"], name="core_job_lease")]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} ({self.status})"

    @property
    def origin(self) -> Origin:
        """Where the request that asked for the job came from (services.job_create); the system
        when none did."""
        recorded = self.params.get("origin") or {}
        return Origin(ip=recorded.get("ip"), agent=recorded.get("agent", ""))

    @property
    def command(self) -> str:
        """The management command that asked for the job ("import_roster"), or "" for a request
        or a task (services.job_create)."""
        return str(self.params.get("command", ""))

    @property
    def progress_percent(self) -> int:
        return int(100 * self.done / self.total) if self.total else 0

    @property
    def expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()

    @property
    def finished(self) -> bool:
        return self.status in {self.Status.DONE, self.Status.FAILED}
