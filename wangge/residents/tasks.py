"""Schedules of the residents' portal (huey). The escalation sweep is idempotent: each request not
taken in time is escalated once, so running it every few minutes is cheap and a missed run is
caught up by the next."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from wangge.residents.services import requests_escalate


@db_periodic_task(crontab(minute="*/5"))
def escalate_untaken_requests() -> int:
    return requests_escalate()
