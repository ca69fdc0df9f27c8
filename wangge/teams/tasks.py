"""Schedules of people power (huey's crontabs are in UTC): the hours of call posts that have
ended, and the care sweep, which alerts each overdue period once and remembers it, so running it
every few minutes is cheap and a missed run is caught up by the next."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from wangge.teams.services.call_posts import records_for_ended_posts
from wangge.teams.services.care import care_alerts_send


@db_periodic_task(crontab(minute="*/15"))
def record_ended_call_posts() -> dict[str, int]:
    return records_for_ended_posts()


@db_periodic_task(crontab(minute="*/10"))
def alert_overdue_care_calls() -> int:
    return care_alerts_send()
