"""The demo's supplies month in memory: a ledger that plays moves in time order (first expiry
first out, as the stock services pick) and writes its batches and moves in bulk at the end, and
the street's places and items with the month's events to play."""

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import OuterRef, Subquery
from django.utils import timezone

from wangge.demo.outbreak.cast import Cast
from wangge.supplies.models import Batch, BatchSource, Item, MoveKind, Place, StockMove


@dataclass
class Ledger:
    """The month's batches and moves, kept in memory in the order they happen."""

    by: Any
    batches: list[Batch] = field(default_factory=list)
    moves: list[StockMove] = field(default_factory=list)
    shelves: dict[tuple[int, int], list[Batch]] = field(default_factory=dict)
    copies: dict[tuple[int, int], Batch] = field(default_factory=dict)
    reversals: list[tuple[StockMove, StockMove]] = field(default_factory=list)
    transfers: list[tuple[StockMove, StockMove]] = field(default_factory=list)

    def batch(self, place: Place, item: Item, at: datetime, **fields: Any) -> Batch:
        batch = Batch(place=place, item=item, received_at=at, quantity=0, **fields)
        self.batches.append(batch)
        self.shelves.setdefault((place.pk, item.pk), []).append(batch)
        return batch

    def move(self, batch: Batch, kind: str, change: int, at: datetime, **fields: Any) -> StockMove:
        batch.quantity += change
        move = StockMove(
            batch=batch,
            place=batch.place,
            item=batch.item,
            kind=kind,
            change=change,
            balance=batch.quantity,
            at=at,
            by=fields.pop("by", self.by),
            **fields,
        )
        self.moves.append(move)
        return move

    def receive(
        self, place: Place, item: Item, quantity: int, at: datetime, **fields: Any
    ) -> Batch:
        batch = self.batch(place, item, at, **fields)
        kind = MoveKind.DONATION if batch.donation is not None else MoveKind.PURCHASE
        self.move(batch, kind, quantity, at)
        return batch

    def picks(self, place: Place, item: Item, quantity: int, day: date) -> list[tuple[Batch, int]]:
        """FEFO picks of at most `quantity` usable units."""
        usable = [
            b
            for b in self.shelves.get((place.pk, item.pk), [])
            if b.quantity > 0 and (b.expiry is None or b.expiry >= day)
        ]
        usable.sort(key=lambda b: (b.expiry is None, b.expiry or date.max, b.received_at))
        picks = []
        for batch in usable:
            take = min(quantity, batch.quantity)
            if take:
                picks.append((batch, take))
                quantity -= take
        return picks

    def issue(
        self, place: Place, item: Item, quantity: int, at: datetime, **recipient: Any
    ) -> list[StockMove]:
        return [
            self.move(batch, MoveKind.ISSUE, -take, at, **recipient)
            for batch, take in self.picks(place, item, quantity, timezone.localdate(at))
        ]

    def transfer(self, source: Place, to: Place, item: Item, quantity: int, at: datetime) -> None:
        for batch, take in self.picks(source, item, quantity, timezone.localdate(at)):
            out = self.move(batch, MoveKind.TRANSFER_OUT, -take, at, recipient_label=to.name)
            copy = self.copies.get((to.pk, id(batch)))
            if copy is None:
                copy = self.batch(
                    to,
                    item,
                    at,
                    lot=batch.lot,
                    expiry=batch.expiry,
                    source=BatchSource.TRANSFER,
                    supplier=batch.supplier,
                    donation=batch.donation,
                    origin=batch,
                )
                self.copies[(to.pk, id(batch))] = copy
            incoming = self.move(copy, MoveKind.TRANSFER_IN, take, at, recipient_label=source.name)
            self.transfers.append((out, incoming))

    def reverse(self, move: StockMove, at: datetime, reason: str) -> None:
        back = self.move(
            move.batch,
            MoveKind.REVERSAL,
            -move.change,
            at,
            note=reason,
            recipient_kind=move.recipient_kind,
            recipient_label=move.recipient_label,
        )
        self.reversals.append((back, move))

    def save(self) -> None:
        """Batches (each before the copies made from it), then the moves: those that name
        another move after it, and the transfers' out halves are pointed at their in halves."""
        waiting = self.batches
        while waiting:  # a copy after its origin (the reserve's copies are copied on)
            ready = [b for b in waiting if b.origin is None or b.origin.pk is not None]
            Batch.objects.bulk_create(ready)
            waiting = [b for b in waiting if b.pk is None]
        later = {MoveKind.TRANSFER_IN, MoveKind.REVERSAL}
        StockMove.objects.bulk_create([m for m in self.moves if m.kind not in later])
        for out, incoming in self.transfers:
            incoming.counterpart = out
        for back, move in self.reversals:
            back.reverses = move
        StockMove.objects.bulk_create([m for m in self.moves if m.kind in later])
        StockMove.objects.filter(pk__in=[out.pk for out, _ in self.transfers]).update(
            counterpart=Subquery(
                StockMove.objects.filter(counterpart=OuterRef("pk")).values("pk")[:1]
            )
        )


@dataclass
class Street:
    """The street's supplies as the month is played: its items and places, each item's daily use
    at a store, and the events to play (moment, order of scheduling, what to do)."""

    cast: Cast
    rng: random.Random
    now: datetime
    items: dict[str, Item]
    warehouse: Place
    reserve: Place
    stores: dict[int, Place]
    use: dict[str, int]
    events: list[tuple[datetime, int, Callable[[], object]]] = field(default_factory=list)

    def at(self, days_ago: int, hour: int, minute: int = 0) -> datetime:
        day = timezone.localdate(self.now) - timedelta(days=days_ago)
        return timezone.make_aware(datetime.combine(day, time(hour, minute)))

    def on(self, at: datetime, run: Callable[[], object]) -> None:
        """Play `run` at `at`, unless that is later than now."""
        if at <= self.now:
            self.events.append((at, len(self.events), run))
