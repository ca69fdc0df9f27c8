"""What the card reminders sent: one row per digest (day, kind, area) and per red card's
announcement, so that a second run the same day sends nothing again."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CardReminder(models.Model):
    class Kind(models.TextChoices):
        DUE = "due", _("今日到期复查")
        OVERDUE = "overdue", _("逾期未复查")
        RED = "red", _("红牌")

    # "due:2026-12-07:community:5", "overdue:2026-12-07:community:5", "red:card:17"
    key = models.CharField(max_length=80, unique=True)
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    day = models.DateField(_("日期"))
    venues = models.PositiveIntegerField(_("场所数"), default=0)
    message = models.ForeignKey(
        "notify.Message", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    sent_at = models.DateTimeField(_("发送时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("红黄牌提醒")
        verbose_name_plural = _("红黄牌提醒")
        ordering = ["-day", "key"]

    def __str__(self) -> str:
        return self.key
