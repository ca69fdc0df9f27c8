"""A community worker on a phone (Debian's chromium, 390 px) opens the duty list, adds a duty to
the east gate's party post and puts a party member on it; the post is marked 党员先锋岗."""

import pytest

from conftest import ARTIFACTS, sign_in
from wangge.teams.tests.duty_fixtures import Duties, lists_fixture  # noqa: F401  (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_community_worker_edits_the_party_post_on_a_phone(lists: Duties, phone):
    sign_in(phone, "carol")
    phone.goto("/teams/duties/")
    post = phone.locator(f"#position-{lists.east_post.pk}")
    assert post.locator("[data-testid=party-post]").is_visible()
    post.locator("summary").click()
    post.locator("[data-testid=duty-new]").fill("劝导外来车辆扫码登记")
    post.locator("[data-testid=duty-new]").press("Enter")
    phone.wait_for_selector("text=劝导外来车辆扫码登记")
    post = phone.locator(f"#position-{lists.east_post.pk}")
    post.locator("summary").click()
    post.locator("select[name=holder]").select_option(f"member-{lists.pan.pk}")
    post.get_by_role("button", name="上岗").click()
    phone.wait_for_selector(f"#position-{lists.east_post.pk} .tag >> text=潘红")
    phone.screenshot(path=str(ARTIFACTS / "teams-duties-phone.png"), full_page=True)
    assert list(lists.east_post.duties.values_list("text", flat=True))[-1] == "劝导外来车辆扫码登记"
