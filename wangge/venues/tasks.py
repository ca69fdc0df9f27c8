"""Schedules of the venues capability (huey). The disinfection sweep decides for itself whether a
rule's alert hour has come (huey's crontab reads UTC, the rules Beijing time) and alerts each
miss once, so running it every few minutes is cheap and a missed run is caught up by the next."""

from django.conf import settings
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from wangge.venues.services.disinfection_rules import disinfection_alerts_send


@db_periodic_task(crontab(minute=f"*/{settings.WANGGE['DISINFECTION_SWEEP_MINUTES']}"))
def alert_missed_disinfection() -> dict[str, int]:
    return disinfection_alerts_send()
