"""Stock never goes below zero when many issue at once: 1,000 attempts of one unit each against a
stock of 100 (three batches with different expiries, so first-expiry-first-out moves from batch
to batch under contention), from 32 threads with a database connection each, released together.
Exactly 100 succeed, 900 are told "not enough stock", none fails for any other reason (deadlock,
serialization …), and the ledger balances.

PostgreSQL only: it races real connections for row locks (on SQLite, writes are serialised whole
and the pass is skipped). `make test`'s PostgreSQL pass runs it; with CI=true that pass is required.
"""

import threading
from collections import Counter
from datetime import timedelta

import pytest
from django.db import connection, connections
from django.db.models import Sum
from django.utils import timezone

from wangge.supplies.models import Batch, Item, ItemCategory, MoveKind, RecipientKind, StockMove
from wangge.supplies.services import stock

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="races connections for row locks: PostgreSQL only"
)

THREADS = 32
ATTEMPTS = 1000
BATCHES = [("K-10", 10, 30), ("K-20", 20, 30), ("K-40", 40, 40)]  # lot, days to expiry, units


def test_a_thousand_issues_at_once_take_exactly_the_hundred_units_there_are(
    transactional_db, world, stores
):
    # given: 100 antigen kits at the warehouse, in three batches expiring 10, 20 and 40 days out
    alice = world.users["alice"]
    warehouse = stores.places["warehouse"]
    kit = Item.objects.create(
        street=world.street, name="并发试剂", category=ItemCategory.TESTING, unit="份"
    )
    today = timezone.localdate()
    for lot, days, units in BATCHES:
        expiry = today + timedelta(days=days)
        stock.receive(by=alice, place=warehouse, item=kit, quantity=units, lot=lot, expiry=expiry)
    recipient = stock.Recipient(RecipientKind.OTHER, label="采样点")
    attempts = iter(range(ATTEMPTS))
    taking = threading.Lock()
    start = threading.Barrier(THREADS)
    outcomes: Counter[str] = Counter()
    failures: list[BaseException] = []

    def next_attempt() -> int | None:
        with taking:
            return next(attempts, None)

    def run() -> None:
        try:
            start.wait(timeout=30)
            while next_attempt() is not None:
                try:
                    stock.issue(
                        by=alice, place=warehouse, item=kit, quantity=1, recipient=recipient
                    )
                    outcome = "issued"
                except stock.NotEnoughStock:
                    outcome = "not enough stock"
                with taking:
                    outcomes[outcome] += 1
        except BaseException as error:  # a deadlock, a serialization failure, anything else
            failures.append(error)
        finally:
            connections.close_all()

    # when: 32 threads, each on its own connection, start together
    threads = [threading.Thread(target=run) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    # then
    assert failures == []
    assert outcomes == {"issued": 100, "not enough stock": 900}
    batches = Batch.objects.filter(item=kit)
    assert sorted(batches.values_list("lot", "quantity")) == [("K-10", 0), ("K-20", 0), ("K-40", 0)]
    moves = StockMove.objects.filter(item=kit)
    assert moves.filter(kind=MoveKind.ISSUE, change=-1).count() == 100
    assert moves.exclude(kind__in=[MoveKind.ISSUE, MoveKind.PURCHASE]).count() == 0
    assert moves.aggregate(total=Sum("change"))["total"] == 0
    units = {lot: count for lot, _, count in BATCHES}
    for batch in batches:  # each batch's running balance went down one by one, never below zero
        balances = sorted(batch.moves.filter(kind=MoveKind.ISSUE).values_list("balance", flat=True))
        assert balances == list(range(units[batch.lot]))
    # first expiry first out held under contention: a later batch was only touched once the
    # earlier one was empty
    order = list(
        moves.filter(kind=MoveKind.ISSUE).order_by("pk").values_list("batch__lot", flat=True)
    )
    assert order == sorted(order)
