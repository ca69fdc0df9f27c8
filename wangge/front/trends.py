"""The charts of the commander's home: today's scans per hour, and trends over the last days
(`HOME_TREND_DAYS`). Past days are read from the daily report's snapshots (summed over the areas
the user holds, reports.selectors); today, and every day from the first one without a snapshot,
are computed from dated records — colour history, measures' start and end dates, missed check-in
slots, flagged check-ins, scans and events — each in one aggregate query."""

from typing import Any

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from wangge.checkpoints.models import Scan
from wangge.command.models import Event
from wangge.front.today import Today, per_day
from wangge.measures.models import CheckIn, CheckInSlot, PersonMeasure
from wangge.regions.choices import HOUSEHOLD_COLOUR_HEX, HouseholdColour
from wangge.reports.selectors import summed_series

TREND_COLOURS = (HouseholdColour.RED, HouseholdColour.ORANGE, HouseholdColour.YELLOW)
SNAPSHOT_KEYS = {
    **{colour.value: f"colours.{colour.value}" for colour in TREND_COLOURS},
    "measures": "measures.active",
    "missed": "checkins.missed",
    "fevers": "checkins.fevers",
    "scans": "checkpoints.scans",
    "events": "command.events_new",
}


def active_measures_per_day(today: Today) -> list[int]:
    """Measures in force at each day (`PersonMeasureQuerySet.active`'s rule), one query."""
    counts = {
        f"d{index}": Count(
            "pk",
            filter=Q(start__lte=day)
            & (Q(status=PersonMeasure.Status.ACTIVE) | Q(ended_on__gt=day)),
        )
        for index, day in enumerate(today.days)
    }
    values = PersonMeasure.objects.restrict(today.user).aggregate(**counts)
    return [values[f"d{index}"] for index in range(len(today.days))]


def from_records(today: Today) -> dict[str, list[int]]:
    """Each trend over `today.days`, computed from the dated records the user may see."""
    user, days = today.user, today.days
    missed = CheckInSlot.objects.restrict(user).filter(status=CheckInSlot.Status.MISSED)
    return {
        **{colour.value: today.colours[colour.value] for colour in TREND_COLOURS},
        "measures": active_measures_per_day(today),
        "missed": per_day(missed, "due_at", days),
        "fevers": per_day(CheckIn.objects.restrict(user).filter(flagged=True), "at", days),
        "scans": per_day(Scan.objects.restrict(user), "scanned_at", days),
        "events": per_day(Event.objects.restrict(user), "raised_at", days),
    }


def trends(today: Today) -> dict[str, list[int]]:
    """Snapshots up to the first day without one (today at the latest), records from there."""
    days = today.days
    stored = summed_series(today.user, days, tuple(SNAPSHOT_KEYS.values()))
    first = next(
        (i for i in range(len(days)) if any(stored[key][i] is None for key in stored)),
        len(days) - 1,
    )
    first = min(first, len(days) - 1)
    recent = from_records(Today(user=today.user, now=today.now, first=days[first]))
    return {name: stored[key][:first] + recent[name] for name, key in SNAPSHOT_KEYS.items()}


def charts(today: Today) -> dict[str, Any]:
    """Everything the page's ECharts draw, as JSON-ready data."""
    series = trends(today)
    return {
        "hours": [f"{hour:02d}" for hour in range(24)],
        "hourly": today.hourly,
        "days": [f"{day:%m-%d}" for day in today.days],
        "colours": [
            {
                "name": str(colour.label),
                "colour": HOUSEHOLD_COLOUR_HEX[colour],
                "data": series[colour.value],
            }
            for colour in TREND_COLOURS
        ],
        "measures": series["measures"],
        "missed": series["missed"],
        "fevers": series["fevers"],
        "scans": series["scans"],
        "events": series["events"],
        "names": {
            "in": _("进"),
            "out": _("出"),
            "denied": _("劝返"),
            "measures": _("管控中"),
            "missed": _("未打卡"),
            "fevers": _("发热预警"),
            "scans": _("扫码"),
            "events": _("新事件"),
        },
    }
