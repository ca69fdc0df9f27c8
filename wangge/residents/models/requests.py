"""诉求: what a resident asks the grid for (代开药, 送文件, 取物品, 代买, 物业报修, 心理疏导, 其他), with
text and up to three photos, for a member of their own household.

A request goes to the grid worker(s) of the household's grid; when no one takes it within
`WANGGE["REQUEST_TAKE_MINUTES"]` it is escalated to the community, once. Every step is a
`RequestEvent` (when, who, what), which the resident sees as the request's timeline. Staff see the
requests of their area through the request's grid, stored when it was made (docs/residents.md).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from wangge.core.fields import optional_fk
from wangge.core.scoping import scoped_manager
from wangge.residents.models.accounts import Account


class RequestKind(models.TextChoices):
    MEDICINE = "medicine", _("代开药")
    DOCUMENT = "document", _("送文件")
    PICKUP = "pickup", _("取物品")
    SHOPPING = "shopping", _("代买")
    REPAIR = "repair", _("物业报修")
    COUNSEL = "counsel", _("心理疏导")
    OTHER = "other", _("其他")


class RequestStatus(models.TextChoices):
    SUBMITTED = "submitted", _("待受理")
    TAKEN = "taken", _("已受理")
    IN_PROGRESS = "in_progress", _("办理中")
    DONE = "done", _("已办结")
    WITHDRAWN = "withdrawn", _("已撤回")
    DECLINED = "declined", _("无法办理")


OPEN_STATUSES = (RequestStatus.SUBMITTED, RequestStatus.TAKEN, RequestStatus.IN_PROGRESS)


class RequestLevel(models.TextChoices):
    GRID = "grid", _("网格")
    COMMUNITY = "community", _("社区")


class HelpRequest(models.Model):
    household = models.ForeignKey(
        "regions.Household",
        on_delete=models.PROTECT,
        related_name="help_requests",
        verbose_name=_("家庭"),
    )
    grid = models.ForeignKey(
        "regions.Grid", on_delete=models.PROTECT, related_name="+", verbose_name=_("网格")
    )
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("为谁办")
    )
    account = optional_fk(Account, _("提交账号"), on_delete=models.SET_NULL)
    on_behalf = models.BooleanField(_("代办"), default=False)
    kind = models.CharField(_("类别"), max_length=20, choices=RequestKind.choices)
    text = models.TextField(_("内容"), max_length=1000)
    status = models.CharField(
        _("状态"), max_length=20, choices=RequestStatus.choices, default=RequestStatus.SUBMITTED
    )
    created_at = models.DateTimeField(_("提交时间"))
    taken_at = models.DateTimeField(_("受理时间"), null=True, blank=True)
    taken_by = optional_fk(settings.AUTH_USER_MODEL, _("受理人"), on_delete=models.SET_NULL)
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    reply = models.TextField(_("答复"), blank=True)
    level = models.CharField(
        _("层级"), max_length=20, choices=RequestLevel.choices, default=RequestLevel.GRID
    )
    escalated_at = models.DateTimeField(_("上报社区时间"), null=True, blank=True)
    rating = models.PositiveSmallIntegerField(_("评价"), null=True, blank=True)
    rating_comment = models.CharField(_("评价内容"), max_length=300, blank=True)
    rated_at = models.DateTimeField(_("评价时间"), null=True, blank=True)
    task = optional_fk("command.Task", _("交办单"), on_delete=models.SET_NULL)

    objects = scoped_manager(
        street_path="grid__community__street",
        community_path="grid__community",
        grid_path="grid",
    )

    class Meta:
        verbose_name = _("诉求")
        verbose_name_plural = _("诉求")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "created_at"], name="help_request_status_at")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class RequestPhoto(models.Model):
    request = models.ForeignKey(
        HelpRequest, on_delete=models.CASCADE, related_name="photos", verbose_name=_("诉求")
    )
    file = models.FileField(_("照片"), upload_to="residents/requests/%Y/%m/")
    content_type = models.CharField(max_length=40)

    class Meta:
        verbose_name = _("诉求照片")
        verbose_name_plural = _("诉求照片")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.file.name


class RequestEvent(models.Model):
    """One step of a request: who (a staff user, the resident's account, or the system) did what."""

    class Step(models.TextChoices):
        SUBMITTED = "submitted", _("提交")
        TAKEN = "taken", _("受理")
        PROGRESS = "progress", _("办理中")
        DONE = "done", _("办结")
        WITHDRAWN = "withdrawn", _("撤回")
        DECLINED = "declined", _("无法办理")
        ESCALATED = "escalated", _("超时未受理，已上报社区")
        TASKED = "tasked", _("转为交办单")
        RATED = "rated", _("评价")

    request = models.ForeignKey(
        HelpRequest, on_delete=models.CASCADE, related_name="events", verbose_name=_("诉求")
    )
    step = models.CharField(_("环节"), max_length=20, choices=Step.choices)
    at = models.DateTimeField(_("时间"))
    by_user = optional_fk(settings.AUTH_USER_MODEL, _("工作人员"), on_delete=models.SET_NULL)
    by_account = optional_fk(Account, _("居民账号"), on_delete=models.SET_NULL)
    note = models.CharField(_("说明"), max_length=1000, blank=True)

    class Meta:
        verbose_name = _("诉求记录")
        verbose_name_plural = _("诉求记录")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.request_id} {self.step}"

    @property
    def who(self) -> str:
        """How the resident's timeline names the actor."""
        if self.by_user_id:
            return self.by_user.full_name or self.by_user.username
        if self.by_account_id:
            return str(_("居民"))
        return str(_("系统"))
