"""The nightly snapshot (huey's crontabs are in UTC): at 16:15 UTC, 00:15 in Shanghai, every street
gets the snapshot of the day that just ended, and of any of the last 14 days that has none. A night
the worker was down is so built the next night, with its 'as of the run' figures read then
(docs/reports.md)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from wangge.reports.services import report_catch_up


@db_periodic_task(crontab(hour="16", minute="15"))
def build_daily_snapshots() -> dict[str, int]:
    return report_catch_up()
