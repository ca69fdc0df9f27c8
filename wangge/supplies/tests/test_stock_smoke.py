import pytest

from wangge.supplies.models import MoveKind, RecipientKind
from wangge.supplies.services import stock


def test_issue_takes_the_earliest_expiry_first_and_reversal_puts_it_back(world, stores):
    alice = world.users["alice"]
    to = stock.Recipient(RecipientKind.OTHER, label="核酸采样点")
    moves = stock.issue(
        by=alice,
        place=stores.places["warehouse"],
        item=stores.items["mask"],
        quantity=150,
        recipient=to,
    )
    assert [(m.batch.lot, m.change, m.balance) for m in moves] == [
        ("M-EARLY", -100, 0),
        ("M-LATE", -50, 250),
    ]
    with pytest.raises(stock.NotEnoughStock):
        stock.issue(
            by=alice,
            place=stores.places["warehouse"],
            item=stores.items["mask"],
            quantity=251,
            recipient=to,
        )
    back = stock.reverse(by=alice, move=moves[1], reason="发错")
    assert back[0].kind == MoveKind.REVERSAL and back[0].balance == 300
    moves = stock.transfer(
        by=alice,
        source=stores.places["warehouse"],
        destination=stores.places["east"],
        item=stores.items["mask"],
        quantity=10,
    )
    assert [m.balance for m in moves] == [290, 10]
    stock.reverse(by=alice, move=moves[0], reason="调错")
    assert stock.stock_of(stores.places["east"], stores.items["mask"]) == 0
    assert stock.stock_of(stores.places["warehouse"], stores.items["mask"]) == 300
