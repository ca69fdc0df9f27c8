import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from wangge.supplies.models import ItemCategory, PlaceKind, StockThreshold
from wangge.supplies.services.catalogue import item_save, place_save, threshold_set


def test_the_street_keeps_the_catalogue_and_a_community_its_own_places(world, stores):
    values = {"name": " 防护服 ", "category": ItemCategory.PROTECTION, "unit": "套"}
    item = item_save(by=world.users["alice"], street=world.street, values=values)
    assert (item.name, item.pack_size, item.picking) == ("防护服", 1, "warn")
    with pytest.raises(PermissionDenied):
        item_save(by=world.users["carol"], street=world.street, values=values)
    with pytest.raises(ValidationError, match="同名"):
        item_save(by=world.users["alice"], street=world.street, values=values)
    with pytest.raises(ValidationError, match="pack size"):
        item_save(by=world.users["alice"], street=world.street, values={**values, "pack_size": 0})

    store = {"name": "东社区二号点", "kind": PlaceKind.COMMUNITY_STORE}
    place = place_save(
        by=world.users["carol"], street=world.street, community=world.east, values=store
    )
    assert place.community == world.east
    with pytest.raises(PermissionDenied):
        place_save(by=world.users["carol"], street=world.street, community=world.west, values=store)
    with pytest.raises(ValidationError, match="checkpoint"):
        place_save(
            by=world.users["alice"],
            street=world.street,
            values={"name": "卡点库", "kind": PlaceKind.CHECKPOINT},
        )

    threshold_set(by=world.users["carol"], place=place, item=item, minimum=20)
    assert StockThreshold.objects.get(place=place, item=item).minimum == 20
    threshold_set(by=world.users["carol"], place=place, item=item, minimum=0)
    assert not StockThreshold.objects.filter(place=place).exists()
    with pytest.raises(PermissionDenied):
        threshold_set(
            by=world.users["carol"], place=stores.places["warehouse"], item=item, minimum=5
        )
