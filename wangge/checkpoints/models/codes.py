"""小区码 (a person's own QR code) and 出入证 (a household's exit pass with a quota).

Neither code carries personal data: both are random tokens (checkpoints/tokens.py), sealed for
reprinting and hashed for lookup. Reissuing replaces the token; revoking keeps it, marked.
"""

from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wangge.core.scoping import scoped_manager


class PersonalCode(models.Model):
    person = models.OneToOneField(
        "people.Person",
        on_delete=models.CASCADE,
        related_name="personal_code",
        verbose_name=_("人员"),
    )
    token_sealed = models.TextField(editable=False)
    token_hash = models.CharField(max_length=40, unique=True, editable=False)
    version = models.PositiveIntegerField(_("版本"), default=1)
    issued_at = models.DateTimeField(_("发码时间"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    revoked_at = models.DateTimeField(_("作废时间"), null=True, blank=True)

    objects = scoped_manager(
        street_path="person__household__grid__community__street",
        community_path="person__household__grid__community",
        grid_path="person__household__grid",
    )

    class Meta:
        verbose_name = _("小区码")
        verbose_name_plural = _("小区码")

    def __str__(self) -> str:
        return f"{self.person_id} v{self.version}"

    @property
    def active(self) -> bool:
        return self.revoked_at is None


class Pass(models.Model):
    """出入证: a household may send `exits_per_period` people out in each period of `period_days`
    days, counted from `valid_from` (days 1–2, 3–4 … for "one person every two days")."""

    household = models.ForeignKey(
        "regions.Household", on_delete=models.CASCADE, related_name="passes", verbose_name=_("户")
    )
    exits_per_period = models.PositiveSmallIntegerField(_("每期外出人次"), default=1)
    period_days = models.PositiveSmallIntegerField(_("每期天数"), default=2)
    valid_from = models.DateField(_("生效日期"))
    valid_until = models.DateField(
        _("截止日期"), null=True, blank=True, help_text=_("当日仍有效；留空为长期")
    )
    note = models.CharField(_("说明"), max_length=200, blank=True)
    token_sealed = models.TextField(editable=False)
    token_hash = models.CharField(max_length=40, unique=True, editable=False)
    issued_at = models.DateTimeField(_("发证时间"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    revoked_at = models.DateTimeField(_("作废时间"), null=True, blank=True)
    revoke_reason = models.CharField(_("作废原因"), max_length=200, blank=True)

    objects = scoped_manager(
        street_path="household__grid__community__street",
        community_path="household__grid__community",
        grid_path="household__grid",
    )

    class Meta:
        verbose_name = _("出入证")
        verbose_name_plural = _("出入证")
        ordering = ["-issued_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["household"],
                condition=Q(revoked_at__isnull=True),
                name="one_pass_per_household",
            ),
            models.CheckConstraint(
                condition=Q(exits_per_period__gte=1, period_days__gte=1), name="pass_quota"
            ),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                name="pass_dates_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.household} {self.rule_label}"

    @property
    def rule_label(self) -> str:
        return f"每{self.period_days}天{self.exits_per_period}人次"

    def valid_on(self, day: date) -> bool:
        return (
            self.revoked_at is None
            and self.valid_from <= day
            and (self.valid_until is None or day <= self.valid_until)
        )

    def period(self, day: date) -> tuple[date, date]:
        """The period holding `day`: its first day and the first day of the next one."""
        index = (day - self.valid_from).days // self.period_days
        start = self.valid_from + timedelta(days=index * self.period_days)
        return start, start + timedelta(days=self.period_days)
