"""应急预案: per event kind, a template of tasks whose assignees are resolved from the event's place,
instantiated with one click into a bundle (PlaybookRun) tracked as one."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wangge.accounts.models import User


class Playbook(models.Model):
    event_kind = models.ForeignKey(
        "command.EventKind",
        on_delete=models.PROTECT,
        related_name="playbooks",
        verbose_name=_("事件类型"),
    )
    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    description = models.TextField(_("说明"), blank=True)
    active = models.BooleanField(_("启用"), default=True)
    builtin = models.BooleanField(_("内置"), default=False)

    class Meta:
        verbose_name = _("应急预案")
        verbose_name_plural = _("应急预案")
        ordering = ["event_kind", "id"]

    def __str__(self) -> str:
        return self.name


class PlaybookStep(models.Model):
    class Assignee(models.TextChoices):
        GRID = "grid", _("事发网格")
        GRID_WORKER = "grid_worker", _("事发网格的网格员")
        COMMUNITY = "community", _("事发社区")
        TRACERS = "tracers", _("街道流调专班")
        COMMANDERS = "commanders", _("街道指挥")
        DEPARTMENT = "department", _("指定部门")

    playbook = models.ForeignKey(Playbook, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField(_("顺序"))
    title = models.CharField(_("任务"), max_length=200)
    description = models.TextField(_("要求"), blank=True)
    task_kind = models.ForeignKey(
        "command.TaskKind", on_delete=models.PROTECT, related_name="+", verbose_name=_("交办类型")
    )
    priority = models.CharField(_("紧急程度"), max_length=10, default="high")
    assignee = models.CharField(_("承办"), max_length=12, choices=Assignee.choices)
    department = models.ForeignKey(
        "command.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("部门"),
    )

    class Meta:
        verbose_name = _("预案步骤")
        verbose_name_plural = _("预案步骤")
        ordering = ["playbook", "position"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(assignee="department") | Q(department__isnull=False),
                name="playbook_step_department_given",
            )
        ]

    def __str__(self) -> str:
        return self.title


class RunQuerySet(models.QuerySet):
    def restrict(self, user: User, action: str = "view") -> "RunQuerySet":
        """The bundles of events the user may see."""
        from wangge.command.models.events import Event

        return self.filter(event__in=Event.objects.restrict(user, action).values("pk"))


class PlaybookRun(models.Model):
    """One instantiation of a playbook for an event: its tasks, tracked as one bundle."""

    playbook = models.ForeignKey(
        Playbook, on_delete=models.PROTECT, related_name="runs", verbose_name=_("预案")
    )
    event = models.ForeignKey(
        "command.Event", on_delete=models.CASCADE, related_name="runs", verbose_name=_("事件")
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    started_at = models.DateTimeField(_("启动时间"))

    objects = models.Manager.from_queryset(RunQuerySet)()

    class Meta:
        verbose_name = _("预案任务包")
        verbose_name_plural = _("预案任务包")
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"{self.playbook} · {self.event}"
