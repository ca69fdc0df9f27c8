"""Supplies: the item catalogue and places, stock in batches and its ledger, donations, stock
counts and the needs that close the loop from a request to a hand-over."""

from wangge.supplies.models.counts import CountStatus, StockCount, StockCountLine
from wangge.supplies.models.donations import Donation, DonorKind
from wangge.supplies.models.items import Item, ItemCategory, PickingMode
from wangge.supplies.models.needs import (
    OPEN_NEED_STATUSES,
    Handover,
    Need,
    NeedKind,
    NeedLine,
    NeedStatus,
)
from wangge.supplies.models.places import Place, PlaceKind, StockThreshold
from wangge.supplies.models.stock import (
    IN_KINDS,
    OUT_KINDS,
    Batch,
    BatchSource,
    MoveKind,
    RecipientKind,
    StockMove,
    WriteOffReason,
    not_reversed,
)

__all__ = [
    "IN_KINDS",
    "OPEN_NEED_STATUSES",
    "OUT_KINDS",
    "Batch",
    "BatchSource",
    "CountStatus",
    "Donation",
    "DonorKind",
    "Handover",
    "Item",
    "ItemCategory",
    "MoveKind",
    "Need",
    "NeedKind",
    "NeedLine",
    "NeedStatus",
    "PickingMode",
    "Place",
    "PlaceKind",
    "RecipientKind",
    "StockCount",
    "StockCountLine",
    "StockMove",
    "StockThreshold",
    "WriteOffReason",
    "not_reversed",
]
