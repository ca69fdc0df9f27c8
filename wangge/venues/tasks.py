"""Schedules of the venues capability (huey). Each is idempotent, so a run missed is caught up by
the next: yellow cards past their deadline day turn red, and the daily re-inspection digests go
out once their local time has come (huey's crontab reads UTC, so the digest decides for itself)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from wangge.venues.services.cards import cards_escalate_overdue
from wangge.venues.services.reminders import reminders_send


@db_periodic_task(crontab(minute="*/15"))
def escalate_overdue_cards() -> int:
    return cards_escalate_overdue()


@db_periodic_task(crontab(minute="*/15"))
def send_card_reminders() -> int:
    return reminders_send()
