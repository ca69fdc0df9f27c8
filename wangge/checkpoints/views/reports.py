"""卡点统计: the street-wide table per checkpoint and the hourly chart, for one day."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from wangge.checkpoints.forms import DayForm
from wangge.checkpoints.selectors import hourly_series, scan_report
from wangge.core.decorators import register_required


@register_required
def report(request: HttpRequest) -> HttpResponse:
    form = DayForm(request.GET or None)
    day = form.day_or_today()
    series = hourly_series(request.user, day)
    chart = {
        "hours": [f"{hour:02d}" for hour in range(24)],
        "names": {"in": _("进"), "out": _("出"), "denied": _("劝返")},
        **series,
    }
    context = {"form": form, "day": day, "report": scan_report(request.user, day), "chart": chart}
    return render(request, "checkpoints/report.html", context)
