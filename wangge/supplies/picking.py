"""先到期先出: the order batches are picked in, and which batches give a quantity. Pure rules over
batches already read (and locked) by the stock services; the pages and selectors use the same
order to show batches as they will be picked.

Without a chosen batch, the earliest-expiring batches that are not expired go first (batches
without an expiry last, then the oldest received). A chosen batch that is not the earliest is
taken only when the item's picking mode is WARN and the picker gives a reason; in FORCE mode only
the earliest batch may go. An expired batch is never picked.
"""

from datetime import date

from django.core.exceptions import ValidationError

from wangge.supplies.models import Batch, Item, PickingMode


class StockError(ValidationError):
    """A move refused for a reason of stock (the message names what and how much)."""


class NotEnoughStock(StockError):
    pass


class ExpiredBatch(StockError):
    pass


class NotEarliestBatch(StockError):
    pass


def fefo_key(batch: Batch) -> tuple:
    """The picking order: earliest expiry first, batches without expiry last, then the oldest."""
    return (batch.expiry is None, batch.expiry or date.max, batch.received_at, batch.pk)


def is_expired(batch: Batch, today: date) -> bool:
    return batch.expiry is not None and batch.expiry < today


def plan_picks(
    batches: list[Batch],
    item: Item,
    quantity: int,
    *,
    today: date,
    chosen: Batch | None = None,
    fefo_reason: str = "",
) -> list[tuple[Batch, int]]:
    """Which batches give `quantity`, in picking order, from `batches` (the place's batches of the
    item that hold stock, in FEFO order)."""
    usable = [batch for batch in batches if not is_expired(batch, today)]
    if chosen is not None:
        held = next((batch for batch in batches if batch.pk == chosen.pk), None)
        if held is None:
            raise NotEnoughStock(f"该批次已无库存 / batch {chosen.lot or chosen.pk} holds nothing")
        if is_expired(held, today):
            raise ExpiredBatch(
                f"批次 {held.lot or held.pk} 已过期（{held.expiry}），不能出库 / "
                f"batch {held.lot or held.pk} expired on {held.expiry} and cannot be issued"
            )
        earliest = usable[0]
        if fefo_key(held) > fefo_key(earliest) and held.expiry != earliest.expiry:
            if item.picking == PickingMode.FORCE:
                raise NotEarliestBatch(
                    f"{item.name} 须先出最早到期的批次 {earliest.lot or earliest.pk}"
                    f"（{earliest.expiry}） / {item.name} must be picked from the earliest batch"
                )
            if not fefo_reason.strip():
                raise NotEarliestBatch(
                    f"未选最早到期的批次 {earliest.lot or earliest.pk}（{earliest.expiry}），"
                    "请说明原因 / say why the earliest-expiring batch is not taken"
                )
        if held.quantity < quantity:
            raise NotEnoughStock(
                f"批次 {held.lot or held.pk} 仅余 {held.quantity}{item.unit}，不足 {quantity} / "
                f"not enough stock in the batch: {held.quantity} left, {quantity} asked"
            )
        return [(held, quantity)]
    available = sum(batch.quantity for batch in usable)
    if available < quantity:
        raise NotEnoughStock(
            f"{item.name} 库存不足：可用 {available}{item.unit}，需要 {quantity}{item.unit} / "
            f"not enough stock: {available} available, {quantity} asked"
        )
    picks: list[tuple[Batch, int]] = []
    left = quantity
    for batch in usable:
        take = min(left, batch.quantity)
        picks.append((batch, take))
        left -= take
        if not left:
            break
    return picks
