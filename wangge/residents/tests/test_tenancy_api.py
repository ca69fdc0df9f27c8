"""The landlord's side on the resident API: the tenants' registrations that named the landlord's
phone, and the answer; nobody else sees them, and a refusal needs its reason."""

import pytest

from conftest import make_id_number
from wangge.residents.models import Registration
from wangge.residents.services import (
    MemberEntry,
    RegistrationInput,
    account_for_phone,
    registration_submit,
)

pytestmark = pytest.mark.django_db


def _tenancy(world) -> Registration:
    return registration_submit(
        account=account_for_phone(phone="17834019904"),
        data=RegistrationInput(
            residence_type="renting",
            building_id=world.households["a"].building_id,
            unit="1",
            room="102",
            landlord_phone="138-0000-1111",
            members=[
                MemberEntry(
                    name="孙七", relation="head", id_number=make_id_number(77), phone="17834019904"
                )
            ],
        ),
    )


def test_the_landlord_sees_the_tenants_and_confirms_them(world, resident_client):
    registration = _tenancy(world)
    landlord, _account = resident_client("13800001111")
    listed = landlord.get("/api/my/tenancies/").json()["results"]
    assert [row["id"] for row in listed] == [registration.pk]
    assert listed[0]["members"] == [{"name": "孙七", "phone": "178****9904"}]
    answered = landlord.post(
        f"/api/my/tenancies/{registration.pk}/answer/",
        {"agree": True},
        content_type="application/json",
    )
    assert answered.status_code == 200 and answered.json()["status"] == "pending"
    registration.refresh_from_db()
    assert registration.status == Registration.Status.PENDING


def test_a_refusal_needs_its_reason_and_others_see_nothing(world, resident_client):
    registration = _tenancy(world)
    stranger, _other = resident_client("13600004444")
    assert stranger.get("/api/my/tenancies/").json()["results"] == []
    path = f"/api/my/tenancies/{registration.pk}/answer/"
    assert stranger.post(path, {"agree": True}, content_type="application/json").status_code == 404
    landlord, _account = resident_client("13800001111")
    assert landlord.post(path, {"agree": False}, content_type="application/json").status_code == 400
    refused = landlord.post(
        path, {"agree": False, "reason": "不认识此人"}, content_type="application/json"
    )
    assert refused.json()["status"] == "rejected"


def test_a_grid_worker_registers_on_a_residents_behalf_through_the_api(world, api_client_for):
    household = world.households["a"]
    body = {
        "household": household.pk,
        "residence_type": "registered",
        "members": [{"name": "张奶奶", "relation": "parent", "id_number": make_id_number(66)}],
    }
    made = api_client_for(world.users["gavin"]).post(
        "/api/residents/registrations/", body, format="json"
    )
    assert made.status_code == 201, made.json()
    registration = Registration.objects.get(pk=made.json()["id"])
    assert registration.on_behalf and registration.household == household
    assert registration.status == Registration.Status.PENDING
    # a worker of another grid, and a tracer who may only read, are refused
    for other in ("bella", "tracy"):
        refused = api_client_for(world.users[other]).post(
            "/api/residents/registrations/", body, format="json"
        )
        assert refused.status_code in (400, 403) and "household" in str(refused.json())
