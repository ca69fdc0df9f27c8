"""The demo street's daily report: the snapshots of the 14 days before today, each built as the
nightly task builds it — at 00:15 of the next day (never later than now) — after every other
seeder wrote its records, so the trends of the report page and of the commander's home have their
fortnight (docs/reports.md)."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from wangge.demo.outbreak.cast import Cast
from wangge.demo.outbreak.clock import moment
from wangge.reports.services import CATCH_UP_DAYS, report_build


def reports_seed(cast: Cast) -> int:
    today = cast.calendar.today
    for back in range(CATCH_UP_DAYS, 0, -1):
        day = today - timedelta(days=back)
        night = timezone.make_aware(datetime.combine(day + timedelta(days=1), time(0, 15)))
        with moment(min(night, cast.calendar.now)):
            report_build(street=cast.street, on=day)
    return CATCH_UP_DAYS
