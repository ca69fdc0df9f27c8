"""Where a message stands for each household it was meant for.

A household is acknowledged when any of its recipients acknowledged; else delivered (not
acknowledged) when any delivery to one of them was delivered; else failed when it had deliveries
and all of them failed; else unreachable when none of its recipients had an address; else still
pending (queued, sent, or waiting for a receipt). Counted in one grouped query.
"""

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from wangge.notify.models import Delivery, Message, Recipient

ACKNOWLEDGED = "acknowledged"
DELIVERED = "delivered_not_acknowledged"
FAILED = "failed"
UNREACHABLE = "unreachable"
PENDING = "pending"

LABELS = {
    ACKNOWLEDGED: _("已确认"),
    DELIVERED: _("已送达未确认"),
    FAILED: _("发送失败"),
    UNREACHABLE: _("无联系方式"),
    PENDING: _("发送中"),
}


def _state(row: dict[str, int]) -> str:
    if row["acknowledged"]:
        return ACKNOWLEDGED
    if row["delivered"]:
        return DELIVERED
    if row["sent_to"] and row["failed"] == row["sent_to"]:
        return FAILED
    if not row["reachable"]:
        return UNREACHABLE
    return PENDING


def household_rows(recipients: QuerySet[Recipient]) -> QuerySet:
    """Per household of `recipients`: counts of acknowledged and reachable recipients and of
    delivered, failed and all deliveries (the join repeats a recipient per delivery, which the
    rules' "any" and "all" tolerate)."""
    return (
        recipients.filter(household__isnull=False)
        .order_by()
        .values("household_id")
        .annotate(
            acknowledged=Count("pk", filter=Q(acknowledged_at__isnull=False)),
            reachable=Count("pk", filter=Q(unreachable=False)),
            sent_to=Count("deliveries"),
            delivered=Count("deliveries", filter=Q(deliveries__state=Delivery.State.DELIVERED)),
            failed=Count("deliveries", filter=Q(deliveries__state=Delivery.State.FAILED)),
        )
    )


def household_states(message: Message) -> dict[int, str]:
    """{household id: state} for every household among the message's recipients."""
    rows = household_rows(Recipient.objects.filter(message=message))
    return {row["household_id"]: _state(row) for row in rows}


def household_counts(message: Message) -> dict[str, int]:
    """How many households are in each state (every state present, zero or more)."""
    counts = dict.fromkeys(LABELS, 0)
    for state in household_states(message).values():
        counts[state] += 1
    return counts
