"""The notifications' minute tick (huey): scheduled messages whose time came, deliveries whose
worker died, the escalation ladder, and a wake-up for every channel with due work."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task
from django.utils import timezone

from wangge.core.origin import Origin
from wangge.notify import delivery, workers
from wangge.notify.escalation import escalation_run
from wangge.notify.models import Channel
from wangge.notify.services import messages_due_send, robot_message_send


@db_periodic_task(crontab(minute="*"))
def notify_tick() -> dict[str, int]:
    now = timezone.now()
    sent = messages_due_send(now=now)
    stranded = delivery.reap(now=now)
    escalated = escalation_run(
        now=now,
        send_to_grid=lambda **kwargs: robot_message_send(origin=Origin.SYSTEM, **kwargs),
    )
    due = [channel for channel in Channel.values if delivery.has_due(channel, now=now)]
    workers.wake(due)
    return {"scheduled_sent": len(sent), "stranded": stranded, "escalated": escalated, "woken": len(due)}
