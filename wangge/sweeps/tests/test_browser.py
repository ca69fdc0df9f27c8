"""The sweep form on a 360 px phone (Debian's chromium): filled while offline, queued on the phone,
synced when the network is back, and recorded once."""

from datetime import timedelta

import pytest
from django.utils import timezone

from conftest import ARTIFACTS, sign_in
from wangge.sweeps.models import Attempt, VisitStatus
from wangge.sweeps.services.campaigns import campaign_create, campaign_start

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_answer_made_offline_is_queued_then_synced_once(world, phone):
    # given a running sweep of grid A with travel, vaccination and elderly needs
    carol = world.users["carol"]
    campaign = campaign_create(
        by=carol,
        name="七月扫楼",
        grids=[world.grid_a],
        checks=["travel", "vaccination", "elderly"],
        since=timezone.localdate() - timedelta(days=14),
        deadline=timezone.now() + timedelta(days=3),
    )
    campaign_start(by=carol, campaign=campaign)
    visit = campaign.visits.get(household=world.households["a"])
    zhang = world.persons["zhang_san"].pk
    phone.set_viewport_size({"width": 360, "height": 780})
    sign_in(phone, "gavin")
    phone.goto(f"/sweeps/{campaign.pk}/go/")
    phone.click("[data-testid=building] >> text=1幢")
    door = phone.locator(f"#door-{visit.pk}")
    door.locator("summary").click()

    # when the phone loses the network and the form is filled and saved
    phone.context.set_offline(True)
    door.locator("[data-testid=result-answered]").check()
    door.locator(f"input[name='travel.away|{zhang}'][value=no]").check()
    door.locator(f"select[name='vaccination.doses|{zhang}']").select_option("booster")
    door.locator("input[name='elderly.need|'][value=no]").check()
    phone.screenshot(path=ARTIFACTS / "sweep-form-360.png", full_page=True)
    door.locator("[data-testid=submit]").click()

    # then it waits on the phone
    phone.wait_for_selector("[data-testid=queue-text]:has-text('1')")
    phone.screenshot(path=ARTIFACTS / "sweep-offline-360.png", full_page=True)
    assert not Attempt.objects.exists()
    queued = phone.evaluate("localStorage.getItem('wangge.sweepQueue')")

    # and once online it is sent by itself and recorded
    phone.context.set_offline(False)
    phone.wait_for_selector("[data-testid=queue-status].is-hidden", state="attached")
    assert phone.inner_text("[data-testid=sweep-message]") == "已上传"
    assert Attempt.objects.count() == 1

    # a queue sent again (its answer lost on the way) is recorded once
    phone.evaluate("queue => localStorage.setItem('wangge.sweepQueue', queue)", queued)
    with phone.expect_response("**/api/sweeps/sync/") as answer:
        phone.evaluate("window.dispatchEvent(new Event('online'))")
    assert answer.value.json()["results"][0]["status"] == "duplicate"
    assert Attempt.objects.count() == 1
    visit.refresh_from_db()
    assert visit.status == VisitStatus.ANSWERED
    assert visit.answers["vaccination.doses"] == {str(zhang): "booster"}
    phone.screenshot(path=ARTIFACTS / "sweep-synced-360.png", full_page=True)
