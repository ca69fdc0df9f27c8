"""The charts of the commander's home: today's scans per hour, and trends over the last days
(`HOME_TREND_DAYS`) computed from dated records — colour history, measures' start and end dates,
missed check-in slots, flagged check-ins, scans and events — each in one aggregate query."""

from typing import Any

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from wangge.checkpoints.models import Scan
from wangge.command.models import Event
from wangge.front.today import Today, per_day
from wangge.measures.models import CheckIn, CheckInSlot, PersonMeasure
from wangge.regions.choices import HOUSEHOLD_COLOUR_HEX, HouseholdColour

TREND_COLOURS = (HouseholdColour.RED, HouseholdColour.ORANGE, HouseholdColour.YELLOW)


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


def charts(today: Today) -> dict[str, Any]:
    """Everything the page's ECharts draw, as JSON-ready data."""
    user, days = today.user, today.days
    missed = CheckInSlot.objects.restrict(user).filter(status=CheckInSlot.Status.MISSED)
    return {
        "hours": [f"{hour:02d}" for hour in range(24)],
        "hourly": today.hourly,
        "days": [f"{day:%m-%d}" for day in days],
        "colours": [
            {
                "name": str(colour.label),
                "colour": HOUSEHOLD_COLOUR_HEX[colour],
                "data": today.colours[colour.value],
            }
            for colour in TREND_COLOURS
        ],
        "measures": active_measures_per_day(today),
        "missed": per_day(missed, "due_at", days),
        "fevers": per_day(CheckIn.objects.restrict(user).filter(flagged=True), "at", days),
        "scans": per_day(Scan.objects.restrict(user), "scanned_at", days),
        "events": per_day(Event.objects.restrict(user), "raised_at", days),
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
