"""The case person's movements in the trace's lookback, for the timeline: a chart of places by
time of day (x) and day (y), and the same movements as rows for the table beneath it."""

from typing import Any

from django.utils.translation import gettext as _

from wangge.measures.models import Case
from wangge.tracing.selectors import movements


def chart_data(case: Case) -> dict[str, Any]:
    rows = movements(case)
    days = sorted({row.at.date() for row in rows})
    index = {day: n for n, day in enumerate(days)}
    labels = {"checkpoint": _("卡点"), "venue": _("场所")}
    points = [
        {
            "value": [round(row.at.hour + row.at.minute / 60, 2), index[row.at.date()]],
            "place": row.place,
            "time": f"{row.at:%Y-%m-%d %H:%M}",
            "kind": labels[row.kind],
        }
        for row in rows
    ]
    chart = {
        "days": [f"{day:%m-%d}" for day in days],
        "points": points,
        "names": {"hour": _("时刻"), "day": _("日期")},
    }
    return {"chart": chart, "rows": rows, "labels": labels}
