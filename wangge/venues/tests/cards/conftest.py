"""The `site` fixture: 老王饭店 in 东社区's grid A, with two inspectors of the community, registered
on 2026-10-01, before every moment the tests travel to (registered at the real clock, its 登记 line
would sort after the inspections of a test's past day once that day had gone by)."""

import pytest
import time_machine

from wangge.venues.models import VenueKind
from wangge.venues.services.register import VenueData, venue_create
from wangge.venues.tests.cards.fixtures import Site, beijing, inspector


@pytest.fixture
def site(world) -> Site:
    with time_machine.travel(beijing(2026, 10, 1, 9), tick=False):
        venue = venue_create(
            by=world.users["alice"],
            data=VenueData(
                name="老王饭店", kind=VenueKind.objects.get(name="餐饮店"), grid=world.grid_a
            ),
        )
    return Site(venue, inspector("ian", world.east), inspector("ivy", world.east))
