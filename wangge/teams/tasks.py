"""Schedules of the teams capability (huey): the hours of call posts that have ended."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from wangge.teams.services.call_posts import records_for_ended_posts


@db_periodic_task(crontab(minute="*/15"))
def record_ended_call_posts() -> dict[str, int]:
    return records_for_ended_posts()
