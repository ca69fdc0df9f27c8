"""What every log line of the command centre carries: the action, who did it, when, and a note."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from wangge.core.fields import optional_fk


class ActionLog(models.Model):
    action = models.CharField(_("动作"), max_length=20)
    by = optional_fk(settings.AUTH_USER_MODEL, _("操作人"), on_delete=models.SET_NULL)
    at = models.DateTimeField(_("时间"))
    note = models.CharField(_("说明"), max_length=500, blank=True)

    class Meta:
        abstract = True
        ordering = ["at", "id"]
