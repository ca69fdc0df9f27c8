"""A trace of an index case (a `measures.Case`) finds candidates — co-residents, persons at the same
place within a window of the case's own scans and venue visits, persons the case named, and
contacts of those contacts up to two hops — each with the evidence of why (where, when, how long
the overlap, through whom).

A candidate is one row per (case, person): running the trace again refreshes the evidence and
keeps the staff's decision, so a dismissed candidate stays dismissed. `path` is the first of
co-resident, co-located, named, second hop that applies; `evidence` lists every piece found.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from wangge.core.fields import optional_fk
from wangge.core.scoping import scoped_manager

CANDIDATE_PATHS = {
    "street_path": "person__household__grid__community__street",
    "community_path": "person__household__grid__community",
    "grid_path": "person__household__grid",
}


class Path(models.TextChoices):
    CO_RESIDENT = "co_resident", _("同住人员")
    CO_LOCATED = "co_located", _("时空交集")
    NAMED = "named", _("病例提供")
    SECOND_HOP = "second_hop", _("次密接")


class CandidateStatus(models.TextChoices):
    PENDING = "pending", _("待核实")
    CONFIRMED = "confirmed", _("已确认")
    DISMISSED = "dismissed", _("已排除")


class Trace(models.Model):
    """One run of the trace of a case, with the settings it ran with and what it counted."""

    case = models.ForeignKey(
        "measures.Case", on_delete=models.CASCADE, related_name="traces", verbose_name=_("病例")
    )
    window_minutes = models.PositiveSmallIntegerField(
        _("时间窗口（分钟）"),
        null=True,
        blank=True,
        help_text=_("运行时指定的窗口；为空时按场所类别的默认窗口"),
    )
    windows = models.JSONField(_("各类场所的时间窗口（分钟）"), default=dict)
    hops = models.PositiveSmallIntegerField(_("追踪层数"), default=2)
    run_at = models.DateTimeField(_("运行时间"))
    by = optional_fk(settings.AUTH_USER_MODEL, _("运行人"), on_delete=models.SET_NULL)
    counts = models.JSONField(_("统计"), default=dict)

    objects = scoped_manager(
        street_path="case__person__household__grid__community__street",
        community_path="case__person__household__grid__community",
    )

    class Meta:
        verbose_name = _("流调运行")
        verbose_name_plural = _("流调运行")
        ordering = ["-run_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.case} {self.run_at:%Y-%m-%d %H:%M}"


class Candidate(models.Model):
    case = models.ForeignKey(
        "measures.Case",
        on_delete=models.CASCADE,
        related_name="trace_candidates",
        verbose_name=_("病例"),
    )
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("人员")
    )
    path = models.CharField(_("发现途径"), max_length=12, choices=Path.choices)
    hop = models.PositiveSmallIntegerField(_("层级"), default=1)
    evidence = models.JSONField(_("依据"), default=list)
    status = models.CharField(
        _("状态"), max_length=12, choices=CandidateStatus.choices, default=CandidateStatus.PENDING
    )
    found_at = models.DateTimeField(_("发现时间"))
    traced_at = models.DateTimeField(_("最近追踪时间"))
    decided_at = models.DateTimeField(_("核实时间"), null=True, blank=True)
    decided_by = optional_fk(settings.AUTH_USER_MODEL, _("核实人"), on_delete=models.SET_NULL)
    decision_note = models.CharField(_("核实说明"), max_length=200, blank=True)
    measure = optional_fk("measures.PersonMeasure", _("管控措施"), on_delete=models.SET_NULL)

    objects = scoped_manager(**CANDIDATE_PATHS)

    class Meta:
        verbose_name = _("流调对象")
        verbose_name_plural = _("流调对象")
        ordering = ["case", "hop", "path", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["case", "person"], name="tracing_candidate_once"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} → {self.person_id} ({self.path})"


class NamedContact(models.Model):
    """A person the case named (entered by hand or from a 协查 list)."""

    case = models.ForeignKey(
        "measures.Case",
        on_delete=models.CASCADE,
        related_name="named_contacts",
        verbose_name=_("病例"),
    )
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("人员")
    )
    note = models.CharField(_("说明"), max_length=200, blank=True)
    at = models.DateTimeField(_("登记时间"))
    by = optional_fk(settings.AUTH_USER_MODEL, _("登记人"), on_delete=models.SET_NULL)

    objects = scoped_manager(**CANDIDATE_PATHS)

    class Meta:
        verbose_name = _("病例提供的接触者")
        verbose_name_plural = _("病例提供的接触者")
        ordering = ["case", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["case", "person"], name="tracing_named_once"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} named {self.person_id}"
