"""每日研判: the command's daily review — open events, late tasks, the day's numbers, and a
conclusion the commander signs off. Signing freezes the numbers; the history is kept."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wangge.core.scoping import Scope, ScopedQuerySet


class ReviewQuerySet(ScopedQuerySet):
    """Only the street's command (and admins) read the daily review."""

    def area_condition(self, scope: Scope) -> Q:
        return Q(street__in=sorted(scope.street_ids)) if scope.street_ids else Q()


class DailyReview(models.Model):
    street = models.ForeignKey(
        "regions.Street", on_delete=models.PROTECT, related_name="+", verbose_name=_("街道")
    )
    day = models.DateField(_("日期"))
    conclusion = models.TextField(_("研判结论"), blank=True)
    snapshot = models.JSONField(_("当日数据"), default=dict, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(auto_now=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("签发人"),
    )
    signed_at = models.DateTimeField(_("签发时间"), null=True, blank=True)

    objects = models.Manager.from_queryset(ReviewQuerySet)()

    class Meta:
        verbose_name = _("每日研判")
        verbose_name_plural = _("每日研判")
        ordering = ["-day"]
        constraints = [models.UniqueConstraint(fields=["street", "day"], name="daily_review_once")]

    def __str__(self) -> str:
        return f"{self.street} {self.day}"
