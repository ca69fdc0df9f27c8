"""防疫登记 on the pages and the API: a resident reaches only their own registrations (another's
answers 404), the grid worker's queue holds their grid's only, and the API answers alike.

Zhang San (13800001111, household "a", grid A: Gavin); Wang Wu (13700003333, household "b",
grid B: Bella)."""

import json

import pytest

from conftest import make_id_number
from wangge.core.api_parsers import NOT_AN_OBJECT
from wangge.people.models import Person
from wangge.residents.models import Registration
from wangge.residents.services import (
    MemberEntry,
    RegistrationInput,
    account_for_phone,
    registration_submit,
)

pytestmark = pytest.mark.django_db


def _form(world, **extra: str) -> dict[str, str]:
    """Zhang San's form as the page posts it: himself unchanged, his phone-less mother added."""
    return {
        "residence_type": "registered",
        "residence_was": "registered",
        "m0-person": str(world.persons["zhang_san"].pk),
        "m0-name": "张三",
        "m0-relation": "head",
        "m0-id_type": "resident",
        "m0-id_number": "",
        "m0-phone": "",
        "m1-person": "",
        "m1-name": "张奶奶",
        "m1-relation": "parent",
        "m1-id_type": "resident",
        "m1-id_number": make_id_number(90, male=False),
        "m1-phone": "",
        "plate": "浙A12345",
        **extra,
    }


@pytest.fixture
def waiting(world) -> Registration:
    """Wang Wu's pending registration (grid B)."""
    data = RegistrationInput(
        residence_type="registered",
        members=[MemberEntry(name="王小五", relation="child", id_number=make_id_number(55))],
    )
    return registration_submit(account=account_for_phone(phone="13700003333"), data=data)


def test_a_resident_registers_for_a_phoneless_member_and_the_grid_worker_confirms(
    world, resident_client, client
):
    # given Zhang San on his portal
    resident, account = resident_client("13800001111")
    assert "张三" in resident.get("/my/registration/").content.decode()
    form = resident.get("/my/registration/new/")
    assert form.status_code == 200 and form.content.count(b'data-testid="member-row"') == 4
    assert len(form.content) < 30_000  # a phone page in WeChat's browser, with its 2 KB of CSS
    # when he registers his mother
    sent = resident.post("/my/registration/new/", _form(world))
    registration = Registration.objects.get()
    assert sent.status_code == 302 and sent.url == f"/my/registration/{registration.pk}/"
    page = resident.get(sent.url).content.decode()
    assert "待网格员确认" in page and "代办" in page
    # then Gavin's queue shows it with 代办 beside the register, and confirming writes it
    client.force_login(world.users["gavin"])
    assert (
        f"/residents/registrations/{registration.pk}/"
        in client.get("/residents/registrations/").content.decode()
    )
    detail = client.get(f"/residents/registrations/{registration.pk}/").content.decode()
    assert 'data-testid="proxied"' in detail and "张奶奶" in detail
    confirmed = client.post(f"/residents/registrations/{registration.pk}/confirm/")
    assert confirmed.status_code == 302
    assert Person.objects.get(name="张奶奶").household == world.households["a"]
    assert "浙A12345" in resident.get("/my/registration/").content.decode()
    household_page = client.get(f"/regions/household/{world.households['a'].pk}/").content
    assert (
        "浙A12345" in household_page.decode()
        and b'data-testid="register-on-behalf"' in household_page
    )


def test_a_bad_id_number_is_named_on_the_form_and_nothing_is_written(world, resident_client):
    resident, _account = resident_client("13800001111")
    page = resident.post("/my/registration/new/", _form(world, **{"m1-id_number": "12345"}))
    assert page.status_code == 400
    assert "证件号码应为18位" in page.content.decode() and "张奶奶" in page.content.decode()
    assert not Registration.objects.exists()


def test_another_households_registration_is_404_on_page_and_api(world, resident_client, waiting):
    resident, _account = resident_client("13800001111")
    assert resident.get(f"/my/registration/{waiting.pk}/").status_code == 404
    assert resident.post(f"/my/registration/{waiting.pk}/withdraw/").status_code == 404
    assert resident.get(f"/api/my/registrations/{waiting.pk}/").status_code == 404
    assert resident.post(f"/api/my/registrations/{waiting.pk}/withdraw/").status_code == 404
    assert resident.get("/api/my/registrations/").json()["results"] == []
    waiting.refresh_from_db()
    assert waiting.status == Registration.Status.PENDING


def test_a_rejection_shows_its_reason_to_the_resident(world, resident_client, client, waiting):
    resident, _account = resident_client("13700003333")
    client.force_login(world.users["bella"])
    assert client.post(f"/residents/registrations/{waiting.pk}/reject/").status_code == 400
    client.post(
        f"/residents/registrations/{waiting.pk}/reject/", {"reason": "出生日期与户口本不符"}
    )
    assert "出生日期与户口本不符" in resident.get("/my/registration/").content.decode()
    body = resident.get(f"/api/my/registrations/{waiting.pk}/").json()
    assert (body["status"], body["reason"]) == ("rejected", "出生日期与户口本不符")


def test_another_grids_worker_does_not_see_the_registration(world, client, api_client_for, waiting):
    client.force_login(world.users["gavin"])
    assert (
        f"/residents/registrations/{waiting.pk}/"
        not in client.get("/residents/registrations/").content.decode()
    )
    assert client.get(f"/residents/registrations/{waiting.pk}/").status_code == 404
    assert client.post(f"/residents/registrations/{waiting.pk}/confirm/").status_code == 404
    api = api_client_for(world.users["gavin"])
    assert api.get("/api/residents/registrations/").json()["results"] == []
    assert api.post(f"/api/residents/registrations/{waiting.pk}/confirm/", {}).status_code == 404
    bella = api_client_for(world.users["bella"])
    rows = bella.get("/api/residents/registrations/", {"status": "pending"}).json()["results"]
    assert [row["id"] for row in rows] == [waiting.pk]
    confirmed = bella.post(f"/api/residents/registrations/{waiting.pk}/confirm/", {}, format="json")
    assert confirmed.status_code == 200 and confirmed.json()["status"] == "confirmed"


def test_the_resident_api_creates_refuses_bad_input_and_withdraws(world, resident_client):
    resident, account = resident_client("13800001111")
    bad = resident.post("/api/my/registrations/", "[]", content_type="application/json")
    assert (bad.status_code, bad.json()) == (400, {"detail": NOT_AN_OBJECT})
    body = {
        "residence_type": "registered",
        "members": [
            {"name": "张奶奶", "relation": "parent", "id_number": "330102198005171", "phone": ""}
        ],
    }
    refused = resident.post(
        "/api/my/registrations/", json.dumps(body), content_type="application/json"
    )
    assert refused.status_code == 400 and "证件号码" in refused.json()["members"][0]
    body["members"][0]["id_number"] = make_id_number(90, male=False)
    made = resident.post(
        "/api/my/registrations/", json.dumps(body), content_type="application/json"
    )
    assert made.status_code == 201 and made.json()["members"][0]["proxied"] is True
    pk = made.json()["id"]
    withdrawn = resident.post(f"/api/my/registrations/{pk}/withdraw/")
    assert withdrawn.json()["status"] == "withdrawn"


def test_a_grid_worker_registers_on_behalf_only_in_their_grid(world, client):
    client.force_login(world.users["gavin"])
    household = world.households["a"]
    assert client.get(f"/residents/registrations/new/?household={household.pk}").status_code == 200
    other = world.households["b"].pk
    assert client.get(f"/residents/registrations/new/?household={other}").status_code == 404
    sent = client.post(f"/residents/registrations/new/?household={household.pk}", _form(world))
    registration = Registration.objects.get()
    assert sent.status_code == 302 and registration.on_behalf
    assert registration.by == world.users["gavin"] and registration.account is None


def test_a_newcomer_chooses_a_building_of_the_compound_from_its_code(world, resident_client):
    resident, _account = resident_client("17834019904")
    compound = world.households["d"].building.compound
    page = resident.get(f"/my/registration/new/?compound={compound.pk}").content.decode()
    assert "江景苑1幢" in page and "阳光花园" not in page
