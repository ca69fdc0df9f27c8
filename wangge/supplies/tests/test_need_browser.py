"""The deliverer's phone page (Debian's chromium, 390 px): Gavin, the grid worker given a household
need, enters a wrong code, then the household's code, and the need is handed over."""

import pytest

from conftest import ARTIFACTS, sign_in
from wangge.supplies.models import Handover, NeedKind, NeedStatus
from wangge.supplies.services import needs as svc

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_deliverer_hands_over_by_code_on_a_phone(world, stores, phone):
    users = world.users
    need = svc.need_create(
        by=users["carol"],
        kind=NeedKind.HOUSEHOLD,
        household=world.households["a"],
        lines=[svc.LineInput(stores.items["mask"], 10)],
    )
    svc.need_approve(by=users["carol"], need=need)
    svc.need_pick(by=users["alice"], need=need, place=stores.places["warehouse"])
    svc.need_dispatch(by=users["carol"], need=need, user=users["gavin"])
    sign_in(phone, "gavin")
    phone.goto("/supplies/deliveries/")
    phone.wait_for_selector("[data-testid=delivery]")
    wrong = "000000" if need.handover_code != "000000" else "111111"
    phone.fill("[data-testid=code-form] input[name=code]", wrong)
    phone.click("[data-testid=code-submit]")
    phone.wait_for_selector("text=还可尝试 4 次")
    phone.screenshot(path=ARTIFACTS / "supplies-deliveries-390.png", full_page=True)
    phone.fill("[data-testid=code-form] input[name=code]", need.handover_code)
    phone.click("[data-testid=code-submit]")
    phone.wait_for_selector("[data-testid=no-deliveries]")
    need.refresh_from_db()
    assert (need.status, need.handover) == (NeedStatus.DELIVERED, Handover.CODE)
