from wangge.notify.models.channels import RateBucket, Robot
from wangge.notify.models.deliveries import Attempt, Delivery, Receipt
from wangge.notify.models.messages import (
    Channel,
    Message,
    MessageKind,
    OptOut,
    Recipient,
    SavedList,
    SavedListEntry,
    Template,
)

__all__ = [
    "Attempt",
    "Channel",
    "Delivery",
    "Message",
    "MessageKind",
    "OptOut",
    "RateBucket",
    "Receipt",
    "Recipient",
    "Robot",
    "SavedList",
    "SavedListEntry",
    "Template",
]
