"""How far a message got: each recipient counted once, by the best state any of its deliveries
reached (delivered, then sent, then pending, then failed)."""

from dataclasses import asdict, dataclass

from django.db.models import Case, Count, IntegerField, Max, Value, When

from wangge.notify.models import Delivery, Message, Recipient

State = Delivery.State
FAILED, PENDING, SENT, DELIVERED = 1, 2, 3, 4
RANK = Case(
    When(deliveries__state=State.DELIVERED, then=Value(DELIVERED)),
    When(deliveries__state=State.SENT, then=Value(SENT)),
    When(deliveries__state__in=[State.QUEUED, State.SENDING, State.UNKNOWN], then=Value(PENDING)),
    default=Value(FAILED),
    output_field=IntegerField(),
)


@dataclass(frozen=True)
class Status:
    """recipients = pending + sent + delivered + failed; acknowledged counts those who
    acknowledged, whatever their delivery state. An unreachable recipient counts as failed."""

    recipients: int
    sent: int
    delivered: int
    failed: int
    acknowledged: int
    pending: int

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


def message_status(message: Message) -> Status:
    ranked = (
        Recipient.objects.filter(message=message)
        .annotate(rank=Max(RANK))
        .values("rank", "acknowledged_at")
    )
    counts = {FAILED: 0, PENDING: 0, SENT: 0, DELIVERED: 0}
    acknowledged = total = 0
    for row in ranked.iterator(chunk_size=5000):
        counts[row["rank"] or FAILED] += 1
        acknowledged += row["acknowledged_at"] is not None
        total += 1
    return Status(
        recipients=total,
        sent=counts[SENT],
        delivered=counts[DELIVERED],
        failed=counts[FAILED],
        acknowledged=acknowledged,
        pending=counts[PENDING],
    )


def channel_counts(message: Message) -> dict[str, dict[str, int]]:
    """Deliveries per channel and state, for the message page."""
    rows = (
        Delivery.objects.filter(message=message)
        .values("channel", "state")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts: dict[str, dict[str, int]] = {}
    for row in rows:
        counts.setdefault(row["channel"], {})[row["state"]] = row["n"]
    return counts
