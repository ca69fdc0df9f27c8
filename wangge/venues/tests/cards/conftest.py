"""The `site` fixture: 老王饭店 in 东社区's grid A, with two inspectors of the community."""

import pytest

from wangge.venues.models import VenueKind
from wangge.venues.services.register import VenueData, venue_create
from wangge.venues.tests.cards.fixtures import Site, inspector


@pytest.fixture
def site(world) -> Site:
    venue = venue_create(
        by=world.users["alice"],
        data=VenueData(
            name="老王饭店", kind=VenueKind.objects.get(name="餐饮店"), grid=world.grid_a
        ),
    )
    return Site(venue, inspector("ian", world.east), inspector("ivy", world.east))
