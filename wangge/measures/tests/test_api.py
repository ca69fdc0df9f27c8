"""The measures API: scoped like the UI, written through the same services."""

from datetime import date

import pytest
from rest_framework.test import APIClient

from conftest import make_id_number
from wangge.measures.models import CheckIn, HealthCodeChange, PersonMeasure
from wangge.measures.services import measure_assign

from .conftest import at

DAY = date(2022, 7, 1)


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def measure(world, drill, clock):
    (measure,) = measure_assign(
        by=world.users["carol"],
        persons=[world.persons["zhang_san"]],
        measure_type=drill["home"],
        start=DAY,
        reason="返乡",
    )
    return measure


def test_measure_types_in_force_on_a_date(world):
    response = api(world.users["gavin"]).get("/api/measures/types/?on=2022-07-01")
    names = {item["name"] for item in response.json()}
    assert "密接7天集中隔离" in names and "密接5天集中隔离" not in names


def test_assign_several_persons_in_one_call(world, drill, clock):
    response = api(world.users["carol"]).post(
        "/api/measures/person-measures/",
        {
            "persons": [world.persons["zhang_san"].pk, world.persons["li_si"].pk],
            "measure_type": drill["home"].pk,
            "start": "2022-07-01",
            "reason": "同户密接",
            "doctor": world.users["dora"].pk,
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert len(response.json()) == 2
    assert set(PersonMeasure.objects.values_list("doctor", flat=True)) == {world.users["dora"].pk}


def test_persons_outside_scope_cannot_be_assigned(world, drill, clock):
    response = api(world.users["gavin"]).post(
        "/api/measures/person-measures/",
        {
            "persons": [world.persons["wang_wu"].pk],
            "measure_type": drill["home"].pk,
            "start": "2022-07-01",
            "reason": "x",
        },
        format="json",
    )
    assert response.status_code == 400
    assert not PersonMeasure.objects.exists()


def test_lists_are_scoped(world, measure):
    assert api(world.users["gavin"]).get("/api/measures/person-measures/").json()["count"] == 1
    assert api(world.users["bella"]).get("/api/measures/person-measures/").json()["count"] == 0
    assert (
        api(world.users["bella"]).get(f"/api/measures/person-measures/{measure.pk}/").status_code
        == 404
    )


def test_release_too_early_is_400_with_the_reason(world, measure):
    response = api(world.users["gavin"]).post(
        f"/api/measures/person-measures/{measure.pk}/release/", {}, format="json"
    )
    assert response.status_code == 400
    assert "管控期未满" in str(response.json())


def test_transfer_to_hospital(world, measure):
    response = api(world.users["gavin"]).post(
        f"/api/measures/person-measures/{measure.pk}/transfer/",
        {"reason": "发热", "destination": "定点医院"},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["status"] == "transferred"


def test_checkin_posted_twice_is_201_then_200(world, measure):
    client = api(world.users["gavin"])
    body = {"measure": measure.pk, "client_id": "phone-1", "temperature": "36.9", "symptoms": []}
    first = client.post("/api/measures/check-ins/", body, format="json")
    second = client.post("/api/measures/check-ins/", body, format="json")
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["id"] == second.json()["id"]
    assert CheckIn.objects.count() == 1


def test_checkin_validation_errors_are_400_per_field(world, measure):
    response = api(world.users["gavin"]).post(
        "/api/measures/check-ins/",
        {"measure": measure.pk, "client_id": "phone-2", "temperature": "45.0"},
        format="json",
    )
    assert response.status_code == 400
    assert "temperature" in response.json()


def test_record_a_test_result(world, measure):
    response = api(world.users["gavin"]).post(
        "/api/measures/tests/record/",
        {"person": measure.person_id, "sampled_on": "2022-07-01", "result": "negative"},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["day"] == 1


def test_health_code_feed_with_a_token(world, api_client_for, clock):
    client = api_client_for(world.users["alice"])
    response = client.post(
        "/api/measures/health-codes/",
        {
            "items": [
                {
                    "id_number": make_id_number(1),
                    "colour": "red",
                    "changed_at": at(DAY, 3).isoformat(),
                },
                {
                    "id_number": make_id_number(99),
                    "colour": "red",
                    "changed_at": at(DAY, 3).isoformat(),
                },
            ]
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["counts"]["stored"] == 1
    assert response.json()["problems"][0]["row"] == 2
    assert HealthCodeChange.objects.count() == 1
    # grid workers read their own persons' changes, but may not feed the list
    assert api(world.users["gavin"]).get("/api/measures/health-codes/").json()["count"] == 1
    assert api(world.users["bella"]).get("/api/measures/health-codes/").json()["count"] == 0
    assert (
        api(world.users["gavin"])
        .post(
            "/api/measures/health-codes/",
            {
                "items": [
                    {"id_number": "x", "colour": "red", "changed_at": "2022-07-01T00:00:00+08:00"}
                ]
            },
            format="json",
        )
        .status_code
        == 403
    )


def test_health_code_feed_needs_authentication(world):
    assert APIClient().post("/api/measures/health-codes/", {}, format="json").status_code in (
        401,
        403,
    )


def test_risk_areas_and_arrival_reports(world, clock):
    alice = api(world.users["alice"])
    area = alice.post(
        "/api/measures/risk-areas/",
        {"province": "湖北省", "city": "武汉市", "level": "high", "effective_from": "2022-06-25"},
        format="json",
    )
    assert area.status_code == 201, area.json()
    lifted = alice.patch(
        f"/api/measures/risk-areas/{area.json()['id']}/",
        {"effective_until": "2022-07-05", "note": "解除"},
        format="json",
    )
    assert lifted.json()["effective_until"] == "2022-07-05"
    assert alice.get("/api/measures/risk-areas/?on=2022-07-06").json()["count"] == 0
    report = api(world.users["kim"]).post(
        "/api/measures/arrival-reports/",
        {
            "name": "钱七",
            "id_number": make_id_number(42),
            "origin_province": "湖北省",
            "origin_city": "武汉市",
            "departed_on": "2022-06-30",
            "arrived_at": at(DAY, 6).isoformat(),
            "transport": "car",
            "community": world.east.pk,
        },
        format="json",
    )
    assert report.status_code == 201, report.json()
    body = report.json()
    assert body["proposed_type"] is not None and "id_number" not in body
    decided = api(world.users["carol"]).post(
        f"/api/measures/arrival-reports/{body['id']}/confirm/",
        {"measure_type": None, "reason": "已完成集中隔离"},
        format="json",
    )
    assert decided.json()["status"] == "no_measure"


def test_the_schema_documents_the_measures_endpoints(world):
    response = api(world.users["alice"]).get("/api/schema/")
    text = response.content.decode()
    for path in (
        "/api/measures/person-measures/",
        "/api/measures/check-ins/",
        "/api/measures/health-codes/",
    ):
        assert path in text
