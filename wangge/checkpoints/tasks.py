"""Schedules of the checkpoints capability (huey). The gap notice decides for itself whether its
local time has come (huey's crontab reads UTC) and sends once a day per community."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from wangge.checkpoints.services import roster_gap_notices


@db_periodic_task(crontab(minute="*/15"))
def notice_roster_gaps() -> dict[str, int]:
    return roster_gap_notices()
