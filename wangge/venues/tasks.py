"""Venue upkeep the task worker runs on a schedule (huey's crontabs are in UTC)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from wangge.venues.services.retention import visits_purge


@db_periodic_task(crontab(hour="19", minute="40"))
def venue_visits_purge() -> int:
    """Every night at 03:40 Beijing time: delete the visits past their retention period."""
    return visits_purge()
