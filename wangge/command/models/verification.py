"""协查名单: a list pushed down from above, matched to the register and routed row by row.

The original file is kept (it is the template the answer goes back in); each data row becomes a
VerificationRow that remembers its Excel row number, its order, how it was matched and to whom it
was routed. ID numbers and phones of a row are kept only masked: the full values stay in the file.
"""

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wangge.core.fields import optional_fk
from wangge.core.scoping import Scope, ScopedQuerySet, area_match


class ListQuerySet(ScopedQuerySet):
    """The street sees its lists; a community its own lists and those with rows routed to it; a
    grid worker the lists with rows in their grids or assigned to them."""

    multi_valued = True

    def area_condition(self, scope: Scope) -> Q:
        return area_match(
            scope,
            streets=("street",),
            communities=("community", "rows__community"),
            grids=("rows__grid",),
        )

    def extra_condition(self, user: Any, scope: Scope) -> Q:
        return Q(rows__assignee=user) if getattr(user, "pk", None) else Q()


class VerificationList(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("导入中")
        READY = "ready", _("核查中")
        FAILED = "failed", _("导入失败")

    street = models.ForeignKey(
        "regions.Street", on_delete=models.PROTECT, related_name="+", verbose_name=_("街道")
    )
    community = optional_fk(
        "regions.Community",
        _("社区"),
        help_text=_("社区自己的名单：未匹配的行交社区，而非街道流调专班"),
    )
    title = models.CharField(_("名单"), max_length=200)
    file = models.FileField(_("原始文件"), upload_to="command/verification/%Y/%m/")
    original_name = models.CharField(_("文件名"), max_length=200)
    # The job that reads a large list in the worker (none for one imported during the upload).
    job = models.OneToOneField(
        "core.Job", on_delete=models.SET_NULL, null=True, blank=True, related_name="verification"
    )
    sha256 = models.CharField(max_length=64)
    headers = models.JSONField(default=list, blank=True)
    deadline = models.DateTimeField(_("反馈时限"))
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    message = models.CharField(_("说明"), max_length=500, blank=True)
    rows_total = models.PositiveIntegerField(_("行数"), default=0)
    matched = models.PositiveIntegerField(_("已匹配"), default=0)
    unmatched = models.PositiveIntegerField(_("未匹配"), default=0)
    rejected = models.PositiveIntegerField(_("无法核查"), default=0)
    created_by = optional_fk(settings.AUTH_USER_MODEL, _("导入人"), on_delete=models.SET_NULL)
    created_at = models.DateTimeField(_("导入时间"), auto_now_add=True)

    objects = models.Manager.from_queryset(ListQuerySet)()

    class Meta:
        verbose_name = _("协查名单")
        verbose_name_plural = _("协查名单")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["street", "sha256"],
                condition=~Q(status="failed"),
                name="verification_list_once",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def counts(self) -> dict[str, int]:
        return {
            "rows": self.rows_total,
            "matched": self.matched,
            "unmatched": self.unmatched,
            "rejected": self.rejected,
        }


class RowQuerySet(ScopedQuerySet):
    street_path = "list__street"
    community_path = "community"
    grid_path = "grid"

    def extra_condition(self, user: Any, scope: Scope) -> Q:
        return Q(assignee=user) if getattr(user, "pk", None) else Q()

    def open(self) -> "RowQuerySet":
        return self.filter(result="").exclude(outcome=VerificationRow.Outcome.REJECTED)


class VerificationRow(models.Model):
    class Outcome(models.TextChoices):
        MATCHED = "matched", _("已匹配")
        UNMATCHED = "unmatched", _("未匹配")
        REJECTED = "rejected", _("无法核查")

    class Method(models.TextChoices):
        ID = "id", _("证件号码")
        PHONE_NAME = "phone_name", _("手机号+姓名")
        NAME_ADDRESS = "name_address", _("姓名+地址")

    class Pool(models.TextChoices):
        GRID = "grid", _("网格员")
        TRACERS = "tracers", _("街道流调专班")
        COMMUNITY = "community", _("社区")

    class Result(models.TextChoices):
        CONTROLLED = "controlled", _("在辖区已落实管控")
        NO_CONTROL = "no_control", _("在辖区无需管控")
        LEFT = "left", _("已离开辖区")
        NOT_FOUND = "not_found", _("查无此人")
        WRONG_INFO = "wrong_info", _("信息错误")
        OTHER = "other", _("其他")

    list = models.ForeignKey(VerificationList, on_delete=models.CASCADE, related_name="rows")
    position = models.PositiveIntegerField(_("顺序"))
    row_number = models.PositiveIntegerField(_("行号"))
    name = models.CharField(_("姓名"), max_length=50, blank=True)
    id_masked = models.CharField(_("证件号码"), max_length=40, blank=True)
    phone_masked = models.CharField(_("手机号"), max_length=20, blank=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    reason = models.CharField(_("核查原因"), max_length=300, blank=True)
    source = models.CharField(_("来源"), max_length=100, blank=True)
    outcome = models.CharField(_("匹配"), max_length=10, choices=Outcome.choices)
    method = models.CharField(_("匹配方式"), max_length=12, choices=Method.choices, blank=True)
    problem = models.CharField(_("问题"), max_length=300, blank=True)
    person = optional_fk("people.Person", _("人员"), on_delete=models.SET_NULL)
    grid = optional_fk("regions.Grid", _("网格"), on_delete=models.SET_NULL)
    community = optional_fk("regions.Community", _("社区"), on_delete=models.SET_NULL)
    pool = models.CharField(_("承办"), max_length=10, choices=Pool.choices, blank=True)
    assignee = optional_fk(
        settings.AUTH_USER_MODEL,
        _("核查人"),
        on_delete=models.SET_NULL,
        related_name="verification_rows",
    )
    due_at = models.DateTimeField(_("反馈时限"), null=True, blank=True)
    result = models.CharField(_("核查结果"), max_length=12, choices=Result.choices, blank=True)
    note = models.CharField(_("核查说明"), max_length=500, blank=True)
    measure = optional_fk("measures.PersonMeasure", _("管控措施"), on_delete=models.SET_NULL)
    answered_by = optional_fk(settings.AUTH_USER_MODEL, _("反馈人"), on_delete=models.SET_NULL)
    answered_at = models.DateTimeField(_("反馈时间"), null=True, blank=True)
    overdue_alerted_at = models.DateTimeField(null=True, blank=True)
    overdue_sweep = models.CharField(max_length=32, blank=True, db_index=True)

    objects = models.Manager.from_queryset(RowQuerySet)()

    class Meta:
        verbose_name = _("协查对象")
        verbose_name_plural = _("协查对象")
        ordering = ["list", "position"]
        indexes = [
            models.Index(fields=["list", "position"], name="verification_row_order"),
            models.Index(fields=["assignee", "result"], name="verification_row_assignee"),
            models.Index(fields=["due_at", "result"], name="verification_row_due"),
        ]

    def __str__(self) -> str:
        return f"{self.list_id}#{self.row_number} {self.name}"

    @property
    def overdue(self) -> bool:

        return bool(
            not self.result
            and self.outcome != self.Outcome.REJECTED
            and self.due_at
            and self.due_at < timezone.now()
        )
