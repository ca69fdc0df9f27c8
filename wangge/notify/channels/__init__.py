"""The channels a delivery leaves by, one small interface each (healthchecks' integrations).

The delivery engine (notify.delivery) claims a batch of deliveries of one channel, records an
attempt whose `reference` the provider echoes back, and hands the batch to the channel's adapter:

    adapter_for("sms").send(reference, [Outgoing(...), ...]) -> [Result(...), ...]

An adapter answers one `Result` per `Outgoing`, in any order, and never raises for what the
provider or the network did: "sent" (accepted, a receipt will come), "delivered" (final, no receipt
will come), "failed" (permanent, with the provider's code and reason), "retry" (transient: nothing
left, send again after a backoff) or "unknown" (timed out: it may have left; wait for its receipt).
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from importlib import import_module
from typing import Protocol

SENT = "sent"
DELIVERED = "delivered"
FAILED = "failed"
RETRY = "retry"
UNKNOWN = "unknown"


@dataclass(frozen=True)
class Outgoing:
    """One delivery as the adapter sends it. `address` is a phone, an e-mail address, a staff
    user's id (in-app), "" for a resident's in-app message, or a robot's id (group channels)."""

    delivery_id: int
    address: str
    text: str
    params: dict[str, str] = field(default_factory=dict)
    mentions: tuple[str, ...] = ()
    title: str = ""


@dataclass(frozen=True)
class Result:
    delivery_id: int
    outcome: str
    code: str = ""
    reason: str = ""


@dataclass(frozen=True)
class ReceiptIn:
    """A delivery receipt as a provider pushed it, matched later by (reference, phone)."""

    reference: str
    phone: str
    status: str
    delivered: bool
    reported_at: datetime | None


class Adapter(Protocol):
    channel: str
    batch_size: int
    receipts: bool

    def send(self, reference: str, batch: Sequence[Outgoing]) -> list[Result]: ...


_MODULES = {
    "inapp": "wangge.notify.channels.inapp",
    "sms": "wangge.notify.channels.sms",
    "dingtalk": "wangge.notify.channels.dingtalk",
    "wecom": "wangge.notify.channels.wecom",
    "email": "wangge.notify.channels.email",
}


def adapter_for(channel: str) -> Adapter:
    """The adapter of a channel (one instance per process: it keeps its HTTP connections)."""
    try:
        module = _MODULES[channel]
    except KeyError:
        raise ValueError(f"未知的渠道“{channel}” / unknown channel '{channel}'") from None
    adapter: Adapter = import_module(module).ADAPTER
    return adapter
