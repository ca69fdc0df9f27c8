"""病例: a confirmed, asymptomatic or suspected case, with where it came from and the measure it got.

The commander's new cases, the demo street and the tracing of an index case all read this record.
It is written only by `measures.services.case_report`.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from wangge.accounts.models import User
from wangge.core.scoping import Scope, ScopedQuerySet, scoped_manager
from wangge.measures.models.measures import PERSON_PATHS, team_condition


class CaseQuerySet(ScopedQuerySet):
    def extra_condition(self, user: User, scope: Scope) -> models.Q:
        """Cases of persons whose measure team `user` serves on (or who are assigned to them)."""
        return team_condition(user, scope, prefix="measure__")


class Case(models.Model):
    class Kind(models.TextChoices):
        CONFIRMED = "confirmed", _("确诊病例")
        ASYMPTOMATIC = "asymptomatic", _("无症状感染者")
        SUSPECTED = "suspected", _("疑似病例")

    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="cases", verbose_name=_("人员")
    )
    kind = models.CharField(_("病例类别"), max_length=12, choices=Kind.choices)
    reported_on = models.DateField(_("报告日期"))
    source_result = models.ForeignKey(
        "testing.LabResult",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("来源核酸结果"),
    )
    source_event = models.ForeignKey(
        "command.Event",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("来源事件"),
    )
    measure = models.ForeignKey(
        "measures.PersonMeasure",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("管控措施"),
    )
    raised_event = models.ForeignKey(
        "command.Event",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("指挥中心事件"),
    )
    note = models.CharField(_("说明"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("登记人"),
    )
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = scoped_manager(CaseQuerySet, **PERSON_PATHS)

    class Meta:
        verbose_name = _("病例")
        verbose_name_plural = _("病例")
        ordering = ["-reported_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["person", "kind"], name="case_once_per_kind"),
        ]
        indexes = [models.Index(fields=["reported_on"], name="case_reported_on")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.person}"
