"""The daily report page: a day's figures of one area beside the day before, trends over 14 or 30
days from the snapshots, and the street command's button that builds a day's snapshot now."""

from datetime import date, timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wangge.accounts.authority import holds
from wangge.accounts.http import SignedInRequest
from wangge.core.origin import Origin
from wangge.core.replica import replica_view
from wangge.core.roles import Action
from wangge.reports.catalogue import TREND_KEYS, figure_groups
from wangge.reports.models import Level
from wangge.reports.selectors import (
    Choice,
    areas_for,
    figures_on,
    last_day,
    series,
    snapshot_of,
    street_of,
)
from wangge.reports.services import report_build
from wangge.reports.services.approvals import approved_names

SPANS = (14, 30)


def _choice(request: SignedInRequest, source: Any) -> tuple[list[Choice], Choice]:
    choices = areas_for(request.user)
    if not choices:
        raise PermissionDenied
    wanted = source.get("area", "")
    return choices, next((c for c in choices if c.key == wanted), choices[0])


def _day(value: str, default: date) -> date:
    try:
        return date.fromisoformat(value) if value else default
    except ValueError:
        return default


def _rows(today: dict[str, int] | None, before: dict[str, int] | None) -> list[dict[str, Any]]:
    groups = []
    for label, items in figure_groups():
        rows = []
        for key, name in items:
            value = (today or {}).get(key, 0)
            previous = (before or {}).get(key, 0) if before is not None else None
            change = value - previous if previous is not None else None
            rows.append(
                {"key": key, "name": name, "value": value, "before": previous, "change": change}
            )
        groups.append({"label": label, "rows": rows})
    return groups


@login_required
@replica_view
def daily(request: SignedInRequest) -> HttpResponse:
    choices, choice = _choice(request, request.GET)
    yesterday = timezone.localdate() - timedelta(days=1)
    on = _day(request.GET.get("day", ""), last_day(choice) or yesterday)
    span = int(request.GET["span"]) if request.GET.get("span") in ("14", "30") else SPANS[0]
    today = figures_on(choice, on)
    before = figures_on(choice, on - timedelta(days=1))
    street = street_of(choice)
    trend = series(choice, on, span, TREND_KEYS)
    labels = {key: str(name) for _, items in figure_groups() for key, name in items}
    charts = {
        "days": trend.pop("days"),
        "series": [{"name": labels[key], "data": trend[key]} for key in TREND_KEYS],
    }
    context = {
        "choices": choices,
        "choice": choice,
        "on": on,
        "span": span,
        "spans": SPANS,
        "groups": _rows(today, before),
        "missing": today is None,
        "snapshot": snapshot_of(street, on) if street is not None else None,
        "locked": approved_names(street.pk, on) if street is not None else [],
        "can_build": street is not None
        and choice.level == Level.STREET
        and holds(request.user, Action.EDIT, street),
        "charts": charts,
    }
    return render(request, "reports/daily.html", context)


@login_required
@require_POST
def build(request: SignedInRequest) -> HttpResponse:
    choices, choice = _choice(request, request.POST)
    street = street_of(choice)
    if (
        street is None
        or choice.level != Level.STREET
        or not holds(request.user, Action.EDIT, street)
    ):
        raise PermissionDenied
    on = _day(request.POST.get("day", ""), timezone.localdate())
    if on > timezone.localdate():
        messages.error(request, _("不能生成未来日期的日报"))
    else:
        try:
            report_build(
                street=street,
                on=on,
                by=request.user,
                rebuild="rebuild" in request.POST,
                origin=Origin.from_request(request),
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("%(day)s 的日报已生成") % {"day": on.isoformat()})
    query = urlencode({"area": choice.key, "day": on.isoformat()})
    return redirect(f"{reverse('reports:daily')}?{query}")
