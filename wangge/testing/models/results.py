"""Lab results: the import that brought them, the results matched to a person, the rows waiting in
the resolution list, the rows rejected, and the corrections labs sent later.

Every data row of a lab file ends as exactly one of: a matched result, an unmatched row, a
duplicate (stored nothing) or a rejected row (see docs/testing.md for the counting rules).
"""

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wangge.core.fields import ImportStatus
from wangge.core.scoping import Scope, ScopedQuerySet, scoped_manager


class Outcome(models.TextChoices):
    NEGATIVE = "negative", _("阴性")
    POSITIVE = "positive", _("阳性")
    PENDING = "pending", _("待复核")
    INVALID = "invalid", _("无效")


FLAGGING_OUTCOMES = (Outcome.POSITIVE, Outcome.INVALID)


def street_level_manager() -> models.Manager:
    """Rows of a street's lab files: seen by the street and its communities, not by grid workers."""
    return scoped_manager(
        street_path="street",
        community_path="street__communities",
        multi_valued=True,
    )


class Sample(models.Model):
    """What a lab reports of one sample, whether or not it found its person."""

    sampled_at = models.DateTimeField(_("采样时间"))
    tube_code = models.CharField(_("试管编码"), max_length=40, blank=True)
    site_name = models.CharField(_("采样点"), max_length=80, blank=True)
    result = models.CharField(_("检测结果"), max_length=10, choices=Outcome.choices)
    lab = models.CharField(_("检测机构"), max_length=100, blank=True)
    reported_at = models.DateTimeField(_("报告时间"), null=True, blank=True)

    class Meta:
        abstract = True


class ResultImport(models.Model):
    """One lab file imported: who, which round, and how its rows were counted."""

    Status = ImportStatus

    street = models.ForeignKey(
        "regions.Street", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    round = models.ForeignKey(
        "testing.NucleicRound",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="imports",
        verbose_name=_("轮次"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    file = models.FileField(_("文件"), upload_to="testing/results/%Y/%m/", blank=True)
    original_name = models.CharField(_("文件名"), max_length=200)
    # The job that imports the file (none for the command line's imports).
    job = models.OneToOneField(
        "core.Job", on_delete=models.SET_NULL, null=True, blank=True, related_name="lab_import"
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    counts = models.JSONField(default=dict, blank=True)
    message = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = street_level_manager()

    class Meta:
        verbose_name = _("检测结果导入")
        verbose_name_plural = _("检测结果导入")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.original_name


class TestResultQuerySet(ScopedQuerySet):
    def extra_condition(self, user: Any, scope: Scope) -> Q:
        if scope.assigned_persons:
            from wangge.people.models import Assignment

            return Q(person__in=Assignment.objects.held_by(user).values("person"))
        return Q()


class LabResult(Sample):
    """One sample's result for one person (or one registered key-group worker who lives elsewhere).

    `round` is empty for routine testing (常态化). A positive or invalid pooled tube puts each of its
    results in review (待复核) until a single-tube retest of that person settles it.
    """

    class Review(models.TextChoices):
        NONE = "", _("无")
        AWAITING = "awaiting", _("待复核")
        SETTLED = "settled", _("已复核")

    round = models.ForeignKey(
        "testing.NucleicRound",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="results",
        verbose_name=_("轮次"),
        db_index=False,
        db_constraint=False,
    )
    person = models.ForeignKey(
        "people.Person",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="test_results",
        verbose_name=_("人员"),
        db_index=False,
        db_constraint=False,
    )
    subject_hash = models.CharField(max_length=40, blank=True, editable=False)
    street = models.ForeignKey(
        "regions.Street",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    source_import = models.ForeignKey(
        ResultImport,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="results",
        db_index=False,
        db_constraint=False,
    )
    review = models.CharField(
        _("复核"), max_length=10, choices=Review.choices, default=Review.NONE, blank=True
    )
    settled_by = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    created_at = models.DateTimeField(_("导入时间"))

    objects = scoped_manager(
        TestResultQuerySet,
        street_path="street",
        community_path="person__household__grid__community",
        grid_path="person__household__grid",
    )

    class Meta:
        verbose_name = _("核酸检测结果")
        verbose_name_plural = _("核酸检测结果")
        ordering = ["-sampled_at", "-id"]
        indexes = [
            models.Index(fields=["round", "person"], name="test_result_round_person"),
            models.Index(fields=["sampled_at"], name="test_result_sampled_at"),
            models.Index(
                fields=["review"], condition=Q(review="awaiting"), name="test_result_awaiting"
            ),
        ]
        constraints = [
            # One result per subject, sample time and tube: what duplicates are told by. The
            # person's index also serves their history and the overdue check.
            models.UniqueConstraint(
                fields=["person", "sampled_at", "tube_code"],
                condition=Q(person__isnull=False),
                name="test_result_person_sample",
            ),
            models.UniqueConstraint(
                fields=["subject_hash", "sampled_at", "tube_code"],
                condition=Q(person__isnull=True),
                name="test_result_subject_sample",
            ),
            models.CheckConstraint(
                condition=Q(person__isnull=False) | ~Q(subject_hash=""),
                name="test_result_has_subject",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sampled_at:%Y-%m-%d %H:%M} {self.get_result_display()}"


class UnmatchedResult(Sample):
    """A lab row that fits no one in the register: it waits in the resolution list until staff say
    who it is or that the person is not ours. The decision is kept; the same row never queues again."""

    class Reason(models.TextChoices):
        UNKNOWN_ID = "unknown_id", _("证件号码不在册")
        NO_MATCH = "no_match", _("电话和姓名不在册")
        AMBIGUOUS = "ambiguous", _("电话和姓名对应多人")

    class Status(models.TextChoices):
        OPEN = "open", _("待处理")
        RESOLVED = "resolved", _("已认领")
        NOT_OURS = "not_ours", _("非本辖区")

    street = models.ForeignKey(
        "regions.Street", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    round = models.ForeignKey(
        "testing.NucleicRound", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    source_import = models.ForeignKey(
        ResultImport, on_delete=models.SET_NULL, null=True, blank=True, related_name="unmatched"
    )
    row_number = models.PositiveIntegerField(_("行号"))
    identity_key = models.CharField(max_length=40, editable=False)
    name = models.CharField(_("姓名"), max_length=50, blank=True)
    id_number_sealed = models.TextField(blank=True, editable=False)
    id_number_hash = models.CharField(max_length=40, blank=True, editable=False)
    id_number_masked = models.CharField(_("证件号码"), max_length=40, blank=True)
    phone_sealed = models.TextField(blank=True, editable=False)
    phone_masked = models.CharField(_("联系电话"), max_length=20, blank=True)
    reason = models.CharField(_("原因"), max_length=12, choices=Reason.choices)
    status = models.CharField(
        _("处理状态"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    resolved_person = models.ForeignKey(
        "people.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    result_record = models.ForeignKey(
        LabResult, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    decision_note = models.CharField(_("处理说明"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = street_level_manager()

    class Meta:
        verbose_name = _("未匹配结果")
        verbose_name_plural = _("未匹配结果")
        ordering = ["status", "-created_at", "row_number"]
        indexes = [models.Index(fields=["status"], name="unmatched_status")]
        constraints = [
            models.UniqueConstraint(
                fields=["identity_key", "sampled_at", "tube_code"], name="unmatched_sample"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name or self.phone_masked} {self.sampled_at:%Y-%m-%d}"


class ResultCorrection(models.Model):
    """A lab's later word on a sample already stored: the result before and after."""

    result_record = models.ForeignKey(
        LabResult, on_delete=models.CASCADE, null=True, blank=True, related_name="corrections"
    )
    unmatched = models.ForeignKey(
        UnmatchedResult, on_delete=models.CASCADE, null=True, blank=True, related_name="corrections"
    )
    old_result = models.CharField(_("原结果"), max_length=10, choices=Outcome.choices)
    new_result = models.CharField(_("新结果"), max_length=10, choices=Outcome.choices)
    source_import = models.ForeignKey(
        ResultImport, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("结果更正")
        verbose_name_plural = _("结果更正")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.old_result} → {self.new_result}"


class RejectedRow(models.Model):
    """A row that could not be read: its number as Excel shows it and why, nothing personal."""

    source_import = models.ForeignKey(
        ResultImport, on_delete=models.CASCADE, related_name="rejected_rows"
    )
    row_number = models.PositiveIntegerField(_("行号"))
    reason = models.CharField(_("原因"), max_length=300)

    class Meta:
        verbose_name = _("拒收行")
        verbose_name_plural = _("拒收行")
        ordering = ["source_import", "row_number"]

    def __str__(self) -> str:
        return f"{self.row_number}: {self.reason}"
