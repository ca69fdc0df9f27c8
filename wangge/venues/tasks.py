"""Venue upkeep the task worker runs on a schedule (huey's crontabs are in UTC). Each task is
idempotent, so a run missed is caught up by the next: yellow cards past their deadline day turn
red, and the daily re-inspection digests go out once their local time has come."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from wangge.venues.services.cards import cards_escalate_overdue
from wangge.venues.services.reminders import reminders_send
from wangge.venues.services.retention import visits_purge


@db_periodic_task(crontab(hour="19", minute="40"))
def venue_visits_purge() -> int:
    """Every night at 03:40 Beijing time: delete the visits past their retention period."""
    return visits_purge()


@db_periodic_task(crontab(minute="*/15"))
def escalate_overdue_cards() -> int:
    return cards_escalate_overdue()


@db_periodic_task(crontab(minute="*/15"))
def send_card_reminders() -> int:
    return reminders_send()
