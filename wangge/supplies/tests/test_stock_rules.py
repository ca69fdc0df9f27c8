"""The stock rules, as the services keep them: first expiry first out in its two modes, never below
zero, expired batches only written off, reversal once by opposite moves, a ledger that is never
edited and always balances, and only the place's own staff moving its stock."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Sum

from wangge.accounts.models import RoleAssignment, User
from wangge.core.roles import Role
from wangge.regions.models import Community, Grid, Household, Street
from wangge.supplies.models import Batch, MoveKind, RecipientKind, StockMove
from wangge.supplies.services import stock
from wangge.supplies.tests.conftest import days_from_today

TO = stock.Recipient(RecipientKind.OTHER, label="核酸采样点")


def _issue(by, place, item, quantity, **extra):
    return stock.issue(by=by, place=place, item=item, quantity=quantity, recipient=TO, **extra)


def test_first_expiry_first_out_warns_or_forces_and_never_goes_below_zero(world, stores):
    # given: masks (WARN) in two batches, antigen kits (FORCE) in two batches, one expired
    alice = world.users["alice"]
    warehouse, mask, kit = stores.places["warehouse"], stores.items["mask"], stores.items["kit"]
    late, early = stores.batches["late"], stores.batches["early"]
    kits = {
        lot: stock.receive(
            by=alice, place=warehouse, item=kit, quantity=10, lot=lot, expiry=days_from_today(d)
        ).batch
        for lot, d in [("K-OLD", -1), ("K-EARLY", 10), ("K-LATE", 90)]
    }
    moves_before = StockMove.objects.count()

    # WARN: another batch than the earliest is refused without a reason …
    with pytest.raises(stock.NotEarliestBatch, match="请说明原因"):
        _issue(alice, warehouse, mask, 5, batch=late)
    # … and taken with one, which the ledger keeps
    (move,) = _issue(alice, warehouse, mask, 5, batch=late, fefo_reason="整箱发放")
    assert (move.batch_id, move.change, move.fefo_reason) == (late.pk, -5, "整箱发放")
    # without a chosen batch the earliest goes first
    (move,) = _issue(alice, warehouse, mask, 5)
    assert move.batch_id == early.pk and move.fefo_reason == ""

    # FORCE: only the earliest batch, whatever the reason
    with pytest.raises(stock.NotEarliestBatch, match="最早到期"):
        _issue(alice, warehouse, kit, 1, batch=kits["K-LATE"], fefo_reason="就近")
    (move,) = _issue(alice, warehouse, kit, 1, batch=kits["K-EARLY"])
    assert move.batch_id == kits["K-EARLY"].pk

    # an expired batch is neither issued nor transferred, nor counted as available …
    with pytest.raises(stock.ExpiredBatch):
        _issue(alice, warehouse, kit, 1, batch=kits["K-OLD"])
    with pytest.raises(stock.ExpiredBatch):
        stock.transfer(
            by=alice,
            source=warehouse,
            destination=stores.places["east"],
            item=kit,
            quantity=1,
            batch=kits["K-OLD"],
        )
    with pytest.raises(stock.NotEnoughStock, match="可用 19"):
        _issue(alice, warehouse, kit, 20)
    # … only written off
    gone = stock.write_off(by=alice, batch=kits["K-OLD"], quantity=10, reason="expired")
    assert gone.balance == 0 and gone.write_off_reason == "expired"

    # never below zero: asking for more than there is writes nothing
    with pytest.raises(stock.NotEnoughStock, match="库存不足"):
        _issue(alice, warehouse, mask, 391)
    with pytest.raises(stock.NotEnoughStock):
        stock.write_off(by=alice, batch=early, quantity=96, reason="damaged")
    assert StockMove.objects.count() == moves_before + 4
    assert stock.stock_of(warehouse, mask) == 390


def test_a_move_is_reversed_once_by_opposite_moves_and_the_ledger_is_never_edited(world, stores):
    alice = world.users["alice"]
    warehouse, east, mask = stores.places["warehouse"], stores.places["east"], stores.items["mask"]
    # an issue is put back into its batch
    (issued,) = _issue(alice, warehouse, mask, 30)
    (back,) = stock.reverse(by=alice, move=issued, reason="发错")
    assert (back.kind, back.change, back.balance, back.reverses_id) == (
        MoveKind.REVERSAL,
        30,
        100,
        issued.pk,
    )
    with pytest.raises(ValidationError, match="已冲正"):
        stock.reverse(by=alice, move=issued, reason="再来一次")
    with pytest.raises(ValidationError, match="不能再冲正"):
        stock.reverse(by=alice, move=back, reason="反悔")
    with pytest.raises(ValidationError, match="冲正原因"):
        stock.reverse(by=alice, move=issued, reason=" ")

    # reversing the in-half of a transfer undoes both halves
    out, incoming = stock.transfer(
        by=alice, source=warehouse, destination=east, item=mask, quantity=40
    )
    reversals = stock.reverse(by=alice, move=incoming, reason="调错")
    assert {r.reverses_id for r in reversals} == {out.pk, incoming.pk}
    assert stock.stock_of(east, mask) == 0 and stock.stock_of(warehouse, mask) == 400
    with pytest.raises(ValidationError, match="已冲正"):
        stock.reverse(by=alice, move=out, reason="再来")

    # a receive whose stock has gone cannot be reversed
    received = stock.receive(by=alice, place=east, item=stores.items["food"], quantity=5)
    _issue(alice, east, stores.items["food"], 3)
    with pytest.raises(stock.NotEnoughStock):
        stock.reverse(by=alice, move=received, reason="录错")
    assert not StockMove.objects.filter(reverses=received).exists()

    # a ledger row is never edited
    issued.note = "改一下"
    with pytest.raises(ValueError, match="never edited"):
        issued.save()

    # and the ledger balances: for every batch the changes sum to its quantity, and each row's
    # balance is the running sum of the batch's changes
    for batch in Batch.objects.all():
        rows = list(StockMove.objects.filter(batch=batch).order_by("pk"))
        assert sum(row.change for row in rows) == batch.quantity
        running = 0
        for row in rows:
            running += row.change
            assert row.balance == running, (batch, row)
    total = StockMove.objects.aggregate(total=Sum("change"))["total"]
    assert total == Batch.objects.aggregate(total=Sum("quantity"))["total"]


def test_only_the_places_own_staff_move_its_stock(world, stores):
    west_worker = User.objects.create_user(username="wendy", password="x")
    RoleAssignment.objects.create(
        user=west_worker, role=Role.COMMUNITY_WORKER, community=world.west
    )
    alice, carol, gavin = world.users["alice"], world.users["carol"], world.users["gavin"]
    east, warehouse, food = stores.places["east"], stores.places["warehouse"], stores.items["food"]
    stock.receive(by=carol, place=east, item=food, quantity=10)
    (move,) = _issue(carol, east, food, 1)
    for stranger in (west_worker, gavin):
        with pytest.raises(PermissionDenied):
            _issue(stranger, east, food, 1)
        with pytest.raises(PermissionDenied):
            stock.receive(by=stranger, place=east, item=food, quantity=1)
        with pytest.raises(PermissionDenied):
            stock.transfer(by=stranger, source=east, destination=warehouse, item=food, quantity=1)
        with pytest.raises(PermissionDenied):
            stock.write_off(by=stranger, batch=move.batch, quantity=1, reason="lost")
        with pytest.raises(PermissionDenied):
            stock.reverse(by=stranger, move=move, reason="不是我的")
    # the community worker does not move the street warehouse's stock; the commander does
    with pytest.raises(PermissionDenied):
        _issue(carol, warehouse, stores.items["mask"], 1)
    _issue(alice, east, food, 1)
    assert stock.stock_of(east, food) == 8
    # nor does anyone issue to a household, team or checkpoint of another street
    other = Street.objects.create(name="北山街道", code="330783002")
    far = Household.objects.create(
        building=world.households["a"].building,
        grid=Grid.objects.create(
            community=Community.objects.create(street=other, name="北社区"), name="北网格"
        ),
        room="909",
    )
    with pytest.raises(ValidationError, match="another street"):
        stock.issue(
            by=world.users["admin"],
            place=east,
            item=food,
            quantity=1,
            recipient=stock.Recipient(RecipientKind.HOUSEHOLD, household=far),
        )
    assert stock.stock_of(east, food) == 8
