"""Stock moves: receive, issue, transfer, write off, reverse. Each function is one transaction
that writes one ledger row per batch it touches and changes the batch's balance in the same
transaction; none ever edits a ledger row.

Picking is first-expiry-first-out (`wangge.supplies.picking`); a reason for taking another batch
than the earliest is recorded on the move. An expired batch is never issued or transferred, only
written off.

Stock never goes below zero: the batches of the item at the place are locked (SELECT … FOR UPDATE
on PostgreSQL; SQLite's write transactions are taken whole, see settings), the balance is taken by
a conditional UPDATE, and the table's check refuses a negative balance as the last line.
"""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from wangge.accounts.authority import holds
from wangge.core.origin import Origin
from wangge.core.roles import Action
from wangge.core.services import audit_record
from wangge.supplies.models import (
    Batch,
    BatchSource,
    Item,
    MoveKind,
    Place,
    RecipientKind,
    StockMove,
    WriteOffReason,
)
from wangge.supplies.picking import ExpiredBatch as ExpiredBatch  # the errors callers catch
from wangge.supplies.picking import NotEarliestBatch as NotEarliestBatch
from wangge.supplies.picking import NotEnoughStock, fefo_key, plan_picks
from wangge.supplies.picking import StockError as StockError


@dataclass(frozen=True)
class Recipient:
    """Who an issue goes to: a checkpoint, a team, a household, or someone named in `label`."""

    kind: str
    label: str = ""
    checkpoint: Any = None
    team: Any = None
    household: Any = None

    def __post_init__(self) -> None:
        if self.kind not in RecipientKind.values:
            raise ValidationError({"recipient_kind": "未知的领用方类型 / unknown recipient kind"})
        target = {
            RecipientKind.CHECKPOINT: self.checkpoint,
            RecipientKind.TEAM: self.team,
            RecipientKind.HOUSEHOLD: self.household,
            RecipientKind.OTHER: self.label.strip() or None,
        }[RecipientKind(self.kind)]
        if target is None:
            raise ValidationError({"recipient": "请指定领用方 / the recipient is required"})

    @property
    def text(self) -> str:
        return (self.label or str(self.checkpoint or self.team or self.household or ""))[:100]

    @property
    def street_id(self) -> int | None:
        """The street of a checkpoint, team or household recipient (None for a named one)."""
        if self.checkpoint is not None:
            return self.checkpoint.community.street_id
        if self.team is not None:
            return self.team.street_id
        if self.household is not None:
            return self.household.grid.community.street_id
        return None


def require_place(by: Any, place: Place) -> None:
    """Refuse unless `by` may move stock at the place (EDIT on its community, or its street)."""
    if not holds(by, Action.EDIT, place.community or place.street):
        raise PermissionDenied("您无权操作该库点 / you may not move stock at this place")


def _positive(quantity: Any) -> int:
    if isinstance(quantity, bool) or not isinstance(quantity, int) or quantity < 1:
        raise ValidationError(
            {"quantity": "数量须为正整数 / the quantity must be a whole number above 0"}
        )
    return quantity


def _same_street(place: Place, item: Item) -> None:
    if item.street_id != place.street_id:
        raise ValidationError({"item": "该物资不属于此街道 / the item belongs to another street"})


def _locked_batches(place: Place, item: Item) -> list[Batch]:
    rows = Batch.objects.select_for_update().filter(place=place, item=item, quantity__gt=0)
    return sorted(rows.order_by("pk"), key=fefo_key)


def _picks(
    place: Place, item: Item, quantity: int, at: datetime, batch: Batch | None, fefo_reason: str
) -> list[tuple[Batch, int]]:
    """The batches an issue or a transfer takes, from the place's batches of the item, locked."""
    return plan_picks(
        _locked_batches(place, item),
        item,
        quantity,
        today=timezone.localdate(at),
        chosen=batch,
        fefo_reason=fefo_reason,
    )


def _take(batch: Batch, quantity: int) -> int:
    """Take `quantity` out of the batch; the balance after, or NotEnoughStock."""
    taken = Batch.objects.filter(pk=batch.pk, quantity__gte=quantity).update(
        quantity=F("quantity") - quantity
    )
    if not taken:
        raise NotEnoughStock(f"{batch.item} 库存不足 / not enough stock")
    batch.quantity -= quantity
    return batch.quantity


def _put(batch: Batch, quantity: int) -> int:
    Batch.objects.filter(pk=batch.pk).update(quantity=F("quantity") + quantity)
    batch.quantity += quantity
    return batch.quantity


def _move(batch: Batch, kind: str, change: int, balance: int, **fields: Any) -> StockMove:
    return StockMove.objects.create(
        batch=batch,
        place_id=batch.place_id,
        item_id=batch.item_id,
        kind=kind,
        change=change,
        balance=balance,
        at=fields.pop("at", None) or timezone.now(),
        **fields,
    )


@transaction.atomic
def receive(
    *,
    by: Any,
    place: Place,
    item: Item,
    quantity: int,
    source: str = BatchSource.PURCHASE,
    lot: str = "",
    expiry: date | None = None,
    supplier: str = "",
    donation: Any = None,
    at: datetime | None = None,
    note: str = "",
    origin: Origin = Origin.SYSTEM,
) -> StockMove:
    """A new batch at `place` (a purchase or a donation) and the ledger row that brings it in."""
    require_place(by, place)
    _same_street(place, item)
    quantity = _positive(quantity)
    if source not in (BatchSource.PURCHASE, BatchSource.DONATION):
        raise ValidationError(
            {"source": "入库来源须为采购或捐赠 / receive a purchase or a donation"}
        )
    if source == BatchSource.DONATION and donation is None:
        raise ValidationError({"donation": "捐赠入库须关联捐赠登记 / name the donation"})
    if item.has_expiry and expiry is None:
        raise ValidationError(
            {"expiry": f"{item.name} 须填写有效期 / {item.name} needs an expiry date"}
        )
    at = at or timezone.now()
    batch = Batch.objects.create(
        item=item,
        place=place,
        lot=lot.strip()[:40],
        expiry=expiry,
        source=source,
        supplier=supplier.strip()[:80],
        donation=donation,
        received_at=at,
        quantity=quantity,
    )
    kind = MoveKind.DONATION if source == BatchSource.DONATION else MoveKind.PURCHASE
    move = _move(batch, kind, quantity, quantity, at=at, by=by, note=note[:200])
    audit_record(actor=by, action="supplies.receive", target=move, origin=origin)
    return move


@transaction.atomic
def issue(
    *,
    by: Any,
    place: Place,
    item: Item,
    quantity: int,
    recipient: Recipient,
    batch: Batch | None = None,
    fefo_reason: str = "",
    need: Any = None,
    at: datetime | None = None,
    note: str = "",
    origin: Origin = Origin.SYSTEM,
) -> list[StockMove]:
    """Issue `quantity` of `item` from `place` to `recipient`, first expiry first out."""
    require_place(by, place)
    _same_street(place, item)
    if recipient.street_id not in (None, place.street_id):
        raise ValidationError(
            {"recipient": "领用方不在本街道 / the recipient belongs to another street"}
        )
    at = at or timezone.now()
    picks = _picks(place, item, _positive(quantity), at, batch, fefo_reason)
    moves = [
        _move(
            picked,
            MoveKind.ISSUE,
            -take,
            _take(picked, take),
            at=at,
            by=by,
            note=note[:200],
            fefo_reason=fefo_reason.strip()[:200] if batch is not None else "",
            recipient_kind=recipient.kind,
            recipient_label=recipient.text,
            checkpoint=recipient.checkpoint,
            team=recipient.team,
            household=recipient.household,
            need=need,
        )
        for picked, take in picks
    ]
    audit_record(
        actor=by,
        action="supplies.issue",
        target=moves[0],
        changes={
            "quantity": quantity,
            "to": recipient.text,
            "batches": [m.batch_id for m in moves],
        },
        origin=origin,
    )
    return moves


def _destination_batch(source: Batch, destination: Place, at: datetime) -> Batch:
    """The batch at `destination` that holds what came from `source` (made on the first transfer)."""
    found = Batch.objects.select_for_update().filter(place=destination, origin=source).first()
    if found is not None:
        return found
    return Batch.objects.create(
        item_id=source.item_id,
        place=destination,
        lot=source.lot,
        expiry=source.expiry,
        source=BatchSource.TRANSFER,
        supplier=source.supplier,
        donation_id=source.donation_id,
        origin=source,
        received_at=at,
        quantity=0,
    )


@transaction.atomic
def transfer(
    *,
    by: Any,
    source: Place,
    destination: Place,
    item: Item,
    quantity: int,
    batch: Batch | None = None,
    fefo_reason: str = "",
    need: Any = None,
    at: datetime | None = None,
    note: str = "",
    origin: Origin = Origin.SYSTEM,
) -> list[StockMove]:
    """Move stock between two places of one street: an out move at `source` and an in move at
    `destination` for each batch picked (FEFO as for an issue). The taker needs EDIT on the source;
    the destination only has to be in the same street."""
    require_place(by, source)
    _same_street(source, item)
    if destination.street_id != source.street_id or destination.pk == source.pk:
        raise ValidationError(
            {"destination": "调入库点须为本街道的另一库点 / pick another place of the street"}
        )
    at = at or timezone.now()
    picks = _picks(source, item, _positive(quantity), at, batch, fefo_reason)
    moves: list[StockMove] = []
    for picked, take in picks:
        out = _move(
            picked,
            MoveKind.TRANSFER_OUT,
            -take,
            _take(picked, take),
            at=at,
            by=by,
            note=note[:200],
            fefo_reason=fefo_reason.strip()[:200] if batch is not None else "",
            recipient_label=str(destination)[:100],
            need=need,
        )
        target = _destination_batch(picked, destination, at)
        incoming = _move(
            target,
            MoveKind.TRANSFER_IN,
            take,
            _put(target, take),
            at=at,
            by=by,
            note=note[:200],
            recipient_label=str(source)[:100],
            counterpart=out,
            need=need,
        )
        StockMove.objects.filter(pk=out.pk).update(counterpart=incoming)
        out.counterpart = incoming
        moves += [out, incoming]
    audit_record(
        actor=by,
        action="supplies.transfer",
        target=moves[0],
        changes={"quantity": quantity, "to": str(destination)},
        origin=origin,
    )
    return moves


@transaction.atomic
def write_off(
    *,
    by: Any,
    batch: Batch,
    quantity: int,
    reason: str,
    at: datetime | None = None,
    note: str = "",
    origin: Origin = Origin.SYSTEM,
) -> StockMove:
    """Write off `quantity` of one batch (expired, damaged, lost): the only way out for an
    expired batch."""
    place = batch.place
    require_place(by, place)
    quantity = _positive(quantity)
    if reason not in WriteOffReason.values:
        raise ValidationError(
            {"reason": "请选择报损原因（过期、损坏、丢失） / give a write-off reason"}
        )
    locked = Batch.objects.select_for_update().get(pk=batch.pk)
    if locked.quantity < quantity:
        raise NotEnoughStock(
            f"批次 {locked.lot or locked.pk} 仅余 {locked.quantity}，不足 {quantity} / "
            f"not enough stock in the batch: {locked.quantity} left"
        )
    move = _move(
        locked,
        MoveKind.WRITE_OFF,
        -quantity,
        _take(locked, quantity),
        at=at,
        by=by,
        note=note[:200],
        write_off_reason=reason,
    )
    audit_record(actor=by, action="supplies.write_off", target=move, reason=reason, origin=origin)
    return move


def adjust(*, by: Any, batch: Batch, change: int, count: Any, at: datetime) -> StockMove:
    """One ADJUST move of an approved stock count: `change` applied to the batch's current
    quantity (the caller holds the transaction, checks permission and audits the count)."""
    locked = Batch.objects.select_for_update().get(pk=batch.pk)
    if locked.quantity + change < 0:
        raise NotEnoughStock(
            f"{locked.item} 批次 {locked.lot or locked.pk} 现存 {locked.quantity}，调整 {change:+d} "
            f"后将为负数 / batch {locked.lot or locked.pk} holds {locked.quantity}: an adjustment "
            f"of {change:+d} would take it below zero"
        )
    balance = _take(locked, -change) if change < 0 else _put(locked, change)
    return _move(locked, MoveKind.ADJUST, change, balance, at=at, by=by, count=count)


def _reversal(move: StockMove, *, by: Any, reason: str, at: datetime) -> StockMove:
    batch = Batch.objects.select_for_update().get(pk=move.batch_id)
    change = -move.change
    balance = _take(batch, -change) if change < 0 else _put(batch, change)
    return _move(
        batch,
        MoveKind.REVERSAL,
        change,
        balance,
        at=at,
        by=by,
        note=reason[:200],
        reverses=move,
        recipient_kind=move.recipient_kind,
        recipient_label=move.recipient_label,
        need_id=move.need_id,
    )


@transaction.atomic
def reverse(
    *, by: Any, move: StockMove, reason: str, origin: Origin = Origin.SYSTEM
) -> list[StockMove]:
    """Undo a move by new moves of the opposite sign (both halves of a transfer). A move is
    reversed once; a reversal is not reversed (enter the move again instead)."""
    require_place(by, move.place)
    if not reason.strip():
        raise ValidationError({"reason": "请说明冲正原因 / say why the move is reversed"})
    if move.kind == MoveKind.REVERSAL:
        raise ValidationError({"move": "冲正记录不能再冲正 / a reversal is not reversed"})
    pair = [move] + ([move.counterpart] if move.counterpart_id else [])
    if StockMove.objects.filter(reverses__in=[m.pk for m in pair]).exists():
        raise ValidationError({"move": "该记录已冲正 / the move was already reversed"})
    at = timezone.now()
    pair.sort(key=lambda m: -m.change)  # take out of a batch before putting back into the other
    reversals = [_reversal(m, by=by, reason=reason.strip(), at=at) for m in pair]
    audit_record(
        actor=by, action="supplies.reverse", target=move, reason=reason.strip(), origin=origin
    )
    return reversals


def stock_of(place: Place, item: Item) -> int:
    """Units of the item at the place, expired batches included."""
    return sum(
        Batch.objects.filter(Q(place=place) & Q(item=item)).values_list("quantity", flat=True)
    )
