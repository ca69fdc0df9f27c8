"""卡点统计: the table per checkpoint and the hourly chart, for one day, over the checkpoints the
user may report on (the register's area; checkpoint staff: the ones they man today)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from wangge.accounts.authority import user_can
from wangge.accounts.http import SignedInRequest
from wangge.checkpoints.forms import DayForm
from wangge.checkpoints.models import REPORT, Checkpoint
from wangge.checkpoints.selectors import hourly_series, scan_report
from wangge.core.roles import Action


@login_required
def report(request: SignedInRequest) -> HttpResponse:
    if not Checkpoint.objects.restrict(request.user, REPORT).exists():
        raise PermissionDenied
    form = DayForm(request.GET or None)
    day = form.day_or_today()
    series = hourly_series(request.user, day)
    chart = {
        "hours": [f"{hour:02d}" for hour in range(24)],
        "names": {"in": _("进"), "out": _("出"), "denied": _("劝返")},
        **series,
    }
    context = {
        "form": form,
        "day": day,
        "report": scan_report(request.user, day),
        "chart": chart,
        "link_rows": user_can(request.user, Action.VIEW),
    }
    return render(request, "checkpoints/report.html", context)
