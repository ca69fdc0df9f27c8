"""Schedules of the supplies app (huey's crontabs are in UTC): the need loop's late-step sweep,
which alerts each late step once, so running it often is cheap and a missed run is caught up."""

from django.conf import settings
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from wangge.supplies.services.need_alerts import late_needs_alert


@db_periodic_task(crontab(minute=f"*/{settings.WANGGE['NEED_SWEEP_MINUTES']}"))
def alert_late_needs() -> int:
    return late_needs_alert()
