"""交办单: a task issued to one or more units, each with its own progress against staged deadlines.

A task's kind gives the deadlines of its stages (acknowledge, start, first feedback; 1510 = 1, 5 and
10 minutes), counted from the moment of issue. Each assignee — a community, a grid, a street
department or a person — has its own TaskAssignment with its own state and timestamps; the
transition table lives in `command/lifecycle.py`, and every transition writes a TaskEvent.
"""

from typing import Any, Self

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wangge.accounts.models import User
from wangge.command.models.config import Department, TaskKind
from wangge.command.models.logs import ActionLog
from wangge.core.fields import optional_fk
from wangge.core.scoping import Scope, ScopedQuerySet, area_match


class TaskQuerySet(ScopedQuerySet):
    """A task is seen by its street's command, by the areas it is assigned to or raised from, by
    its issuer, and by the persons and department members it is assigned to."""

    multi_valued = True

    def area_condition(self, scope: Scope) -> Q:
        return area_match(
            scope,
            streets=("street",),
            communities=(
                "origin_community",
                "assignments__community",
                "assignments__grid__community",
            ),
            grids=("assignments__grid",),
        )

    def extra_condition(self, user: User, scope: Scope) -> Q:
        if not getattr(user, "pk", None):
            return Q()
        return Q(issuer=user) | Q(assignments__user=user) | Q(assignments__department__members=user)


class Task(models.Model):
    class Priority(models.TextChoices):
        LOW = "low", _("低")
        NORMAL = "normal", _("一般")
        HIGH = "high", _("紧急")
        CRITICAL = "critical", _("特急")

    class Direction(models.TextChoices):
        DOWN = "down", _("交办")
        UP = "up", _("吹哨")

    class Status(models.TextChoices):
        OPEN = "open", _("办理中")
        COMPLETED = "completed", _("已办结")
        CANCELLED = "cancelled", _("已撤销")

    street = models.ForeignKey(
        "regions.Street", on_delete=models.PROTECT, related_name="+", verbose_name=_("街道")
    )
    origin_community = optional_fk("regions.Community", _("吹哨社区"))
    kind = models.ForeignKey(
        TaskKind, on_delete=models.PROTECT, related_name="tasks", verbose_name=_("类型")
    )
    title = models.CharField(_("标题"), max_length=200)
    description = models.TextField(_("内容"), blank=True)
    priority = models.CharField(
        _("紧急程度"), max_length=10, choices=Priority.choices, default=Priority.NORMAL
    )
    direction = models.CharField(
        _("方向"), max_length=4, choices=Direction.choices, default=Direction.DOWN
    )
    drill = models.BooleanField(_("演练"), default=False)
    issuer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("交办人"),
    )
    issued_at = models.DateTimeField(_("交办时间"), db_index=True)
    due_at = models.DateTimeField(_("办结时限"), null=True, blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    event = optional_fk("command.Event", _("事件"), on_delete=models.SET_NULL, related_name="tasks")
    bundle = optional_fk(
        "command.PlaybookRun", _("预案任务包"), on_delete=models.SET_NULL, related_name="tasks"
    )

    objects = models.Manager.from_queryset(TaskQuerySet)()

    class Meta:
        verbose_name = _("交办单")
        verbose_name_plural = _("交办单")
        ordering = ["-issued_at", "-id"]

    def __str__(self) -> str:
        return self.title


class TaskAssignmentQuerySet(models.QuerySet):
    def restrict(self, user: User, action: str = "view") -> Self:
        """The assignments of the tasks the user may see."""
        return self.filter(task__in=Task.objects.restrict(user, action).values("pk"))


class TaskAssignment(models.Model):
    """One assignee's part of a task: its own state, stage deadlines and timestamps."""

    class State(models.TextChoices):
        ISSUED = "issued", _("待接单")
        ACKNOWLEDGED = "acknowledged", _("已接单")
        IN_PROGRESS = "in_progress", _("处置中")
        FEEDBACK_SUBMITTED = "feedback_submitted", _("已反馈")
        COMPLETED = "completed", _("已办结")
        RETURNED = "returned", _("退回重办")
        CANCELLED = "cancelled", _("已撤销")

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="assignments")
    community = optional_fk("regions.Community", _("社区"))
    grid = optional_fk("regions.Grid", _("网格"))
    department = optional_fk(Department, _("部门"), related_name="assignments")
    user = optional_fk(settings.AUTH_USER_MODEL, _("人员"), related_name="task_assignments")
    state = models.CharField(
        _("状态"), max_length=20, choices=State.choices, default=State.ISSUED, db_index=True
    )
    ack_due_at = models.DateTimeField(_("接单时限"))
    start_due_at = models.DateTimeField(_("启动时限"))
    feedback_due_at = models.DateTimeField(_("反馈时限"))
    due_at = models.DateTimeField(_("办结时限"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("接单时间"), null=True, blank=True)
    started_at = models.DateTimeField(_("启动时间"), null=True, blank=True)
    feedback_at = models.DateTimeField(_("首次反馈时间"), null=True, blank=True)
    completed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)

    objects = models.Manager.from_queryset(TaskAssignmentQuerySet)()

    class Meta:
        verbose_name = _("承办单位")
        verbose_name_plural = _("承办单位")
        ordering = ["task", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        community__isnull=False,
                        grid__isnull=True,
                        department__isnull=True,
                        user__isnull=True,
                    )
                    | Q(
                        community__isnull=True,
                        grid__isnull=False,
                        department__isnull=True,
                        user__isnull=True,
                    )
                    | Q(
                        community__isnull=True,
                        grid__isnull=True,
                        department__isnull=False,
                        user__isnull=True,
                    )
                    | Q(
                        community__isnull=True,
                        grid__isnull=True,
                        department__isnull=True,
                        user__isnull=False,
                    )
                ),
                name="task_assignment_one_assignee",
            )
        ]

    def __str__(self) -> str:
        return f"{self.task} → {self.assignee}"

    @property
    def assignee(self) -> Any:
        return self.community or self.grid or self.department or self.user


class TaskEvent(ActionLog):
    """The task's log: every transition, with who and when."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="log")
    assignment = models.ForeignKey(
        TaskAssignment, on_delete=models.CASCADE, null=True, blank=True, related_name="log"
    )
    from_state = models.CharField(max_length=20, blank=True)
    to_state = models.CharField(max_length=20, blank=True)

    class Meta(ActionLog.Meta):
        verbose_name = _("交办记录")
        verbose_name_plural = _("交办记录")

    def __str__(self) -> str:
        return f"{self.task_id} {self.action} {self.at:%H:%M:%S}"


class TaskFeedback(models.Model):
    """A report from an assignee: text, figures ({"已排查户数": 120}) and photos (attachments)."""

    assignment = models.ForeignKey(
        TaskAssignment, on_delete=models.CASCADE, related_name="feedback"
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    text = models.TextField(_("反馈内容"), blank=True)
    figures = models.JSONField(_("数据"), default=dict, blank=True)
    client_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(_("时间"))

    class Meta:
        verbose_name = _("反馈")
        verbose_name_plural = _("反馈")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "client_id"],
                condition=~Q(client_id=""),
                name="task_feedback_client_once",
            )
        ]

    def __str__(self) -> str:
        return self.text[:50]


class TaskAttachment(models.Model):
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="attachments")
    feedback = optional_fk(TaskFeedback, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("文件"), upload_to="command/tasks/%Y/%m/")
    original_name = models.CharField(_("文件名"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


class TaskEscalation(models.Model):
    """A missed stage reported upward: first to the assignee's superior, later to the issuer.

    Unique per (assignment, stage, level), so a sweep that runs twice alerts once; `sweep` marks
    the rows one sweep inserted, so it alerts exactly for those.
    """

    class Stage(models.TextChoices):
        ACK = "ack", _("接单")
        START = "start", _("启动")
        FEEDBACK = "feedback", _("反馈")
        COMPLETION = "completion", _("办结")

    class Level(models.TextChoices):
        SUPERIOR = "superior", _("上级")
        ISSUER = "issuer", _("交办人")

    assignment = models.ForeignKey(
        TaskAssignment, on_delete=models.CASCADE, related_name="escalations"
    )
    stage = models.CharField(_("环节"), max_length=10, choices=Stage.choices)
    level = models.CharField(_("提醒对象"), max_length=10, choices=Level.choices)
    at = models.DateTimeField(_("时间"))
    sweep = models.CharField(max_length=32, db_index=True)

    class Meta:
        verbose_name = _("超时督办")
        verbose_name_plural = _("超时督办")
        ordering = ["at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "stage", "level"], name="task_escalation_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.assignment_id} {self.stage} → {self.level}"
