"""Seeing the stock on a small hand-made ledger: days of cover and burn (a reversed issue netted
out, an issue older than the burn window left out), expiring and expired batches, low-stock alerts
once per crossing, the dashboard's scoping and its pages."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from wangge.core.models import Alert
from wangge.regions.models import Household
from wangge.supplies.models import Need, NeedKind, RecipientKind, StockThreshold
from wangge.supplies.selectors.overview import overview
from wangge.supplies.services import stock
from wangge.supplies.services.alerts import EXPIRY_KIND, LOW_KIND, stock_alerts_send
from wangge.supplies.tests.conftest import days_from_today


def _ledger(world, stores):
    alice, now = world.users["alice"], timezone.now()
    warehouse, east = stores.places["warehouse"], stores.places["east"]
    mask, kit = stores.items["mask"], stores.items["kit"]
    to = stock.Recipient(RecipientKind.OTHER, label="卡点")
    for days, quantity in [(10, 20), (2, 70)]:
        stock.issue(
            by=alice,
            place=warehouse,
            item=mask,
            quantity=quantity,
            recipient=to,
            at=now - timedelta(days=days),
        )
    wrong = stock.issue(
        by=alice, place=warehouse, item=mask, quantity=35, recipient=to, at=now - timedelta(days=1)
    )
    for move in wrong:  # 10 from the early batch, 25 from the late one
        stock.reverse(by=alice, move=move, reason="发错")
    stock.receive(by=alice, place=east, item=kit, quantity=50, expiry=days_from_today(-1))
    stock.receive(by=alice, place=east, item=kit, quantity=20, expiry=days_from_today(40))
    StockThreshold.objects.create(place=east, item=kit, minimum=30)
    StockThreshold.objects.create(place=warehouse, item=mask, minimum=100)
    return now


def test_cover_burn_expiry_and_scoping(world, stores):
    now = _ledger(world, stores)
    seen = overview(world.users["alice"], now=now)
    rows = {(r.place.name, r.item.name): r for r in seen.rows}
    masks = rows[("街道物资仓库", "医用外科口罩")]
    # 400 received, 90 issued (20 of them ten days ago), 35 issued and reversed: 70 in 7 days
    assert (masks.usable, masks.expired, masks.issued, masks.cover) == (310, 0, 70, 31.0)
    assert not masks.below
    kits = rows[("东社区物资点", "抗原检测试剂")]
    assert (kits.usable, kits.expired, kits.cover, kits.below) == (20, 50, None, True)
    assert [r.item.name for r in seen.low] == ["抗原检测试剂"]
    assert [(b.lot, b.quantity) for b in seen.expiring] == [("", 50), ("M-EARLY", 10)]
    burn = {s["name"]: s["data"] for s in seen.burn_chart["series"]}
    assert burn["医用外科口罩"][-11:] == [20, 0, 0, 0, 0, 0, 0, 0, 70, 0, 0]
    assert len(seen.burn_chart["days"]) == 30
    assert {i["name"]: i["cover"] for i in seen.items} == {
        "医用外科口罩": 31.0,
        "抗原检测试剂": None,
    }

    Need.objects.create(
        kind=NeedKind.HOUSEHOLD,
        street=world.street,
        community=world.east,
        grid=world.grid_a,
        household=Household.objects.filter(grid=world.grid_a).first(),
        created_at=now,
    )
    carol = overview(world.users["carol"], now=now)
    assert {r.place.name for r in carol.rows} == {"东社区物资点"}
    assert [b.place.name for b in carol.expiring] == ["东社区物资点"]
    assert "医用外科口罩" not in {s["name"] for s in carol.burn_chart["series"]}
    assert overview(world.users["gavin"], now=now).needs[0]["count"] == 1
    assert overview(world.users["bella"], now=now).needs[0]["count"] == 0


def test_low_stock_is_told_once_per_crossing_and_expiry_once_a_day(world, stores):
    _ledger(world, stores)
    alice, carol = world.users["alice"], world.users["carol"]
    assert stock_alerts_send() == {"low": 1, "expiry": 2}
    assert stock_alerts_send() == {"low": 0, "expiry": 0}
    low = Alert.objects.filter(kind=LOW_KIND)
    assert [(a.recipient, "抗原检测试剂 20份" in a.text) for a in low] == [(carol, True)]
    expiry = {a.recipient: a.text for a in Alert.objects.filter(kind=EXPIRY_KIND)}
    assert set(expiry) == {alice, carol} and "M-EARLY" in expiry[alice]
    assert "已于" in expiry[carol]

    east, kit = stores.places["east"], stores.items["kit"]
    stock.receive(by=alice, place=east, item=kit, quantity=20, expiry=days_from_today(50))
    assert stock_alerts_send()["low"] == 0
    assert StockThreshold.objects.get(place=east).alerted_at is None
    to = stock.Recipient(RecipientKind.OTHER, label="卡点")
    stock.issue(by=alice, place=east, item=kit, quantity=15, recipient=to)
    assert stock_alerts_send()["low"] == 1
    assert (
        Alert.objects.filter(kind=LOW_KIND).count() == 2
        and StockThreshold.objects.get(place=east).alerted_at is not None
    )


def test_pages_render_and_a_community_sets_only_its_own_lines(world, stores, client):
    _ledger(world, stores)
    client.force_login(world.users["alice"])
    page = client.get(reverse("supplies:dashboard")).content.decode()
    assert "31.0" in page and "supplies-charts" in page and "M-EARLY" in page
    client.force_login(world.users["carol"])
    page = client.get(reverse("supplies:dashboard")).content.decode()
    assert "东社区物资点" in page and "街道物资仓库" not in page
    url = reverse("supplies:thresholds")
    east, warehouse = stores.places["east"], stores.places["warehouse"]
    food = stores.items["food"]
    answer = client.post(url, {"place": east.pk, "item": food.pk, "minimum": 5})
    assert answer.status_code == 302
    assert StockThreshold.objects.get(place=east, item=food).minimum == 5
    answer = client.post(url, {"place": warehouse.pk, "item": food.pk, "minimum": 5})
    assert answer.status_code == 200 and not StockThreshold.objects.filter(
        item=food, place=warehouse
    )
    page = client.get(url).content.decode()
    assert "保供蔬菜包" in page and "抗原检测试剂" in page
    client.force_login(world.users["gavin"])
    assert client.get(reverse("supplies:dashboard")).status_code == 200
