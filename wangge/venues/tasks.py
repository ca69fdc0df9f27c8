"""Venue upkeep the task worker runs on a schedule (huey's crontabs are in UTC).

The disinfection sweep decides for itself whether a rule's alert hour has come (the rules speak
Beijing time) and alerts each miss once, so running it every few minutes is cheap and a missed run
is caught up by the next. So are the cards' tasks: yellow cards past their deadline day turn red,
and the daily re-inspection digests go out once their local time has come."""

from django.conf import settings
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from wangge.venues.services.cards import cards_escalate_overdue
from wangge.venues.services.disinfection_rules import disinfection_alerts_send
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


@db_periodic_task(crontab(minute=f"*/{settings.WANGGE['DISINFECTION_SWEEP_MINUTES']}"))
def alert_missed_disinfection() -> dict[str, int]:
    return disinfection_alerts_send()
