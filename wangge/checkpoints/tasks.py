"""Schedules of the checkpoints capability (huey). The gap notice decides for itself whether its
local time has come (huey's crontab reads UTC) and sends once a day per community."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from wangge.checkpoints.services import roster_gap_notices
from wangge.checkpoints.services.retention import scans_purge


@db_periodic_task(crontab(hour="19", minute="45"))
def checkpoint_scans_purge() -> int:
    """Every night at 03:45 Beijing time: remove the scans past their retention period."""
    return scans_purge()


@db_periodic_task(crontab(minute="*/15"))
def notice_roster_gaps() -> dict[str, int]:
    return roster_gap_notices()
