"""The street's commander watches the sweep on a phone: the counts move without a reload when a
door closes; the grid worker opens the building's map and the queue of findings. Screenshots in
test-artifacts/."""

import pytest

from conftest import ARTIFACTS, sign_in
from wangge.core import crypto
from wangge.sweeps.models import Proposal, VisitStatus
from wangge.sweeps.tests.sweep_world import proposal_of, sweep_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_progress_refreshes_itself_and_the_map_and_queue_draw(world, phone, settings):
    settings.WANGGE = {**settings.WANGGE, "SWEEP_PROGRESS_POLL_SECONDS": 1}
    sweep = sweep_of(world)
    proposal_of(
        sweep.visits["a"],
        Proposal.Kind.PERSON_FIELD,
        world.persons["zhang_san"],
        field="phone",
        masked="139****8888",
        sealed=crypto.seal("13900008888"),
    )
    campaign = sweep.campaign.pk

    # the commander's page, then a door of grid A closes meanwhile
    sign_in(phone, "alice")
    phone.goto(f"/sweeps/{campaign}/")
    pending = phone.locator("[data-testid=sweep-totals] [data-field=pending]")
    assert pending.inner_text() == "2"
    phone.screenshot(path=ARTIFACTS / "sweep-progress-390.png", full_page=True)
    visit = sweep.visits["a202"]
    visit.status, visit.persons = VisitStatus.ANSWERED, 3
    visit.save()
    phone.wait_for_function(
        "document.querySelector('[data-testid=sweep-totals] [data-field=pending]').textContent === '1'"
    )
    assert phone.locator("[data-testid=sweep-totals] [data-field=persons]").inner_text() == "7"

    # the building's map, room by room
    phone.goto(f"/sweeps/{campaign}/buildings/{visit.building_id}/")
    assert phone.locator("[data-testid=door]").count() == 4
    phone.screenshot(path=ARTIFACTS / "sweep-building-map-390.png", full_page=True)

    # the grid worker's queue
    phone.context.clear_cookies()
    sign_in(phone, "gavin")
    phone.goto("/sweeps/proposals/")
    assert "139****8888" in phone.inner_text("[data-testid=finding]")
    phone.screenshot(path=ARTIFACTS / "sweep-proposals-390.png", full_page=True)
