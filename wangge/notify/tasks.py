"""The notifications' minute tick (huey): scheduled messages whose time came, deliveries whose
worker died, the escalation ladder, and a wake-up for every channel with due work."""

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from wangge.notify import delivery, workers
from wangge.notify.escalation import escalation_run
from wangge.notify.models import Channel
from wangge.notify.services import messages_due_send, robot_message_send


@db_periodic_task(crontab(minute="*"))
def notify_tick() -> dict[str, int]:
    now = timezone.now()
    sent = messages_due_send(now=now)
    stranded = delivery.reap(now=now)
    ladder = escalation_run(
        now=now,
        send_to_grid=robot_message_send,
    )
    due = [channel for channel in Channel.values if delivery.has_due(channel, now=now)]
    workers.wake(due)
    return {
        "scheduled_sent": len(sent),
        "stranded": stranded,
        "grids_told": ladder.grids_told,
        "call_listed": ladder.households_call_listed,
        "woken": len(due),
    }
