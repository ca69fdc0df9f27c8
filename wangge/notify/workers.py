"""The workers' side of delivery: a huey task drains one channel's due deliveries, batch by batch,
and schedules itself again for the next one that falls due within a minute (a retry, a lease running out, a
receipt window passing). The queue only wakes workers; what is to be sent lives in the database, so a lost
task costs a wake-up, which the minute tick gives again (notify.tasks)."""

from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from huey.contrib.djhuey import db_task

from wangge.core.jobs.services import worker_name
from wangge.notify import delivery

# A drain asks to be woken for what falls due this soon; the minute tick wakes the rest.
SOON = timedelta(seconds=60)


def wake(channels: Iterable[str]) -> None:
    """Start NOTIFY_PARALLEL drains of each channel (each claims its own batches)."""
    for channel in channels:
        for _ in range(settings.WANGGE["NOTIFY_PARALLEL"]):
            deliver(channel)


@db_task()
def deliver(channel: str) -> int:
    return drain(channel)


def drain(channel: str, *, worker: str | None = None) -> int:
    """Claim and send due deliveries of `channel` until none is left; then ask to be woken when the
    next one falls due. The number of deliveries this drain sent."""
    worker = worker or worker_name()
    sent = 0
    delivery.reap()
    while ids := delivery.claim(
        channel, worker=worker, limit=settings.WANGGE["NOTIFY_CLAIM_BATCH"]
    ):
        delivery.send_claimed(channel, ids, worker=worker)
        sent += len(ids)
    upcoming = delivery.next_due(channel)
    if upcoming is not None and upcoming <= timezone.now() + SOON:
        deliver.schedule(args=(channel,), eta=upcoming)
    return sent
