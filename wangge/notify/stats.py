"""A message's figures, as the issue asks for them: how long until every recipient was sent to,
the share delivered, the share acknowledged 15 minutes after the audience was frozen, and the
call list's progress. Shares are of all the message's recipients (the unreachable count against
them: they were meant and not reached)."""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Exists, Max, OuterRef

from wangge.notify.calls import CallProgress, call_progress
from wangge.notify.models import Delivery, Message, Recipient

# The measure of a quick acknowledgement: the share acknowledged at this many minutes.
ACK_SHARE_MINUTES = 15

UNSENT = (Delivery.State.QUEUED, Delivery.State.SENDING)


@dataclass(frozen=True)
class MessageStats:
    recipients: int
    # Seconds from the freeze to the last delivery leaving; None while some have not left.
    seconds_to_all_sent: float | None
    delivered: int
    acknowledged_in_time: int  # by ACK_SHARE_MINUTES after the freeze
    calls: CallProgress
    ack_asked: bool

    @property
    def delivered_share(self) -> float | None:
        return self.delivered / self.recipients if self.recipients else None

    @property
    def acknowledged_share(self) -> float | None:
        if not self.ack_asked or not self.recipients:
            return None
        return self.acknowledged_in_time / self.recipients


def _seconds_to_all_sent(message: Message) -> float | None:
    if message.frozen_at is None:
        return None
    if message.all_sent_at is not None:
        return (message.all_sent_at - message.frozen_at).total_seconds()
    deliveries = Delivery.objects.filter(message=message)
    if deliveries.filter(state__in=UNSENT).exists():
        return None
    last = deliveries.aggregate(last=Max("sent_at"))["last"]
    return (last - message.frozen_at).total_seconds() if last else None


def message_stats(message: Message) -> MessageStats:
    recipients = Recipient.objects.filter(message=message)
    delivered = recipients.filter(
        Exists(Delivery.objects.filter(recipient=OuterRef("pk"), state=Delivery.State.DELIVERED))
    ).count()
    in_time = 0
    if message.ack and message.frozen_at is not None:
        by = message.frozen_at + timedelta(minutes=ACK_SHARE_MINUTES)
        in_time = recipients.filter(acknowledged_at__lte=by).count()
    return MessageStats(
        recipients=recipients.count(),
        seconds_to_all_sent=_seconds_to_all_sent(message),
        delivered=delivered,
        acknowledged_in_time=in_time,
        calls=call_progress(recipients),
        ack_asked=message.ack,
    )
