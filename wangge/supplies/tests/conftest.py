"""The supplies tests' shared world: a street catalogue of three items (masks picked FEFO with a
warning, antigen kits FEFO forced, food packs without expiry) and two places (the street warehouse,
the east community's store), with batches of masks at the warehouse."""

from dataclasses import dataclass, field
from datetime import date, timedelta

import pytest
from django.utils import timezone

from wangge.supplies.models import Item, ItemCategory, PickingMode, Place, PlaceKind
from wangge.supplies.services import stock


@dataclass
class Stores:
    items: dict = field(default_factory=dict)
    places: dict = field(default_factory=dict)
    batches: dict = field(default_factory=dict)


@pytest.fixture
def stores(world):
    s = Stores()
    s.items["mask"] = Item.objects.create(
        street=world.street,
        name="医用外科口罩",
        category=ItemCategory.PROTECTION,
        unit="个",
        pack_size=50,
        pack_unit="盒",
        picking=PickingMode.WARN,
        household_orderable=True,
    )
    s.items["kit"] = Item.objects.create(
        street=world.street,
        name="抗原检测试剂",
        category=ItemCategory.TESTING,
        unit="份",
        picking=PickingMode.FORCE,
    )
    s.items["food"] = Item.objects.create(
        street=world.street,
        name="保供蔬菜包",
        category=ItemCategory.FOOD,
        unit="份",
        has_expiry=False,
        household_orderable=True,
    )
    s.places["warehouse"] = Place.objects.create(
        street=world.street, name="街道物资仓库", kind=PlaceKind.STREET_WAREHOUSE
    )
    s.places["east"] = Place.objects.create(
        street=world.street,
        community=world.east,
        name="东社区物资点",
        kind=PlaceKind.COMMUNITY_STORE,
    )
    today = timezone.localdate()
    alice = world.users["alice"]
    for key, lot, days, quantity in [("late", "M-LATE", 200, 300), ("early", "M-EARLY", 20, 100)]:
        move = stock.receive(
            by=alice,
            place=s.places["warehouse"],
            item=s.items["mask"],
            quantity=quantity,
            lot=lot,
            expiry=today + timedelta(days=days),
        )
        s.batches[key] = move.batch
    return s


def days_from_today(days: int) -> date:
    return timezone.localdate() + timedelta(days=days)
