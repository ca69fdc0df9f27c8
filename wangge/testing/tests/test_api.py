"""The testing API: scoped like the UI, masked, written through the same services."""

import pytest
from rest_framework.test import APIClient

from conftest import make_id_number
from wangge.testing.models import UnmatchedResult
from wangge.testing.services.lab.importing import results_import
from wangge.testing.tests.conftest import lab_row

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(world):
    def as_user(name):
        client = APIClient()
        client.force_authenticate(world.users[name])
        return client

    return as_user


def test_creating_a_round_and_reading_its_coverage(world, api, lab_file):
    client = api("carol")
    created = client.post(
        "/api/testing/rounds/",
        {
            "street": world.street.pk,
            "name": "东社区全员",
            "scope": "communities",
            "communities": [world.east.pk],
            "starts_at": "2022-04-10T06:00:00+08:00",
            "ends_at": "2022-04-10T22:00:00+08:00",
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    round_id = created.json()["id"]
    results_import(path=lab_file([lab_row(serial=1)]))

    coverage = client.get(f"/api/testing/rounds/{round_id}/coverage/?level=community").json()

    assert coverage["total"] == {
        "id": None,
        "label": "合计",
        "target": 3,
        "tested": 1,
        "untested": 2,
        "percent": 33.3,
    }
    untested = api("gavin").get(f"/api/testing/rounds/{round_id}/untested/").json()
    assert [(p["name"], p["phone_masked"]) for p in untested["results"]] == [
        ("李四", "139****2222")
    ]


def test_a_grid_worker_may_not_create_a_street_round(world, api):
    answer = api("gavin").post(
        "/api/testing/rounds/",
        {
            "street": world.street.pk,
            "name": "x",
            "starts_at": "2022-04-10T06:00:00+08:00",
            "ends_at": "2022-04-10T22:00:00+08:00",
        },
        format="json",
    )

    assert answer.status_code == 403


def test_importing_over_the_api_and_reading_results_scoped(world, api, lab_file):
    path = lab_file(
        [lab_row(serial=1, tube="A"), lab_row(serial=3, tube="B"), lab_row(serial=99, tube="C")]
    )

    with path.open("rb") as handle:
        answer = api("carol").post(
            "/api/testing/results/import/", {"file": handle}, format="multipart"
        )

    assert answer.status_code == 201, answer.content
    assert answer.json()["counts"] == {"matched": 2, "unmatched": 1, "duplicates": 0, "rejected": 0}
    mine = api("gavin").get("/api/testing/results/").json()["results"]
    assert [r["person_name"] for r in mine] == ["张三"]
    assert api("gavin").get("/api/testing/unmatched/").json()["results"] == []


def test_resolving_over_the_api(world, api, lab_file):
    results_import(path=lab_file([lab_row(name="外地人", serial=88)]))
    row = UnmatchedResult.objects.get()

    answer = api("carol").post(
        f"/api/testing/unmatched/{row.pk}/dismiss/", {"note": "外区"}, format="json"
    )

    assert answer.json()["status"] == "not_ours"


def test_key_groups_and_overdue(world, api):
    client = api("alice")
    group = client.post(
        "/api/testing/keygroups/",
        {"street": world.street.pk, "name": "冷链仓库", "kind": "cold_chain", "interval_days": 7},
        format="json",
    ).json()
    member = client.post(
        f"/api/testing/keygroups/{group['id']}/members/",
        {
            "name": "搬运工",
            "id_number": make_id_number(9, area="410102"),
            "joined_on": "2022-04-01",
        },
        format="json",
    )
    assert member.status_code == 201, member.content
    assert "id_number" not in member.json() and member.json()["id_number_masked"].startswith("410")

    overdue = client.get("/api/testing/keygroups/overdue/?on=2022-04-03").json()

    assert [(m["name"], m["overdue_days"]) for m in overdue["results"]] == [("搬运工", 2)]


def test_doses_and_coverage(world, api):
    client = api("carol")
    answer = client.post(
        "/api/testing/doses/",
        {
            "person": world.persons["zhang_san"].pk,
            "dose_number": 1,
            "vaccinated_on": "2021-05-01",
            "vaccine": "康希诺",
        },
        format="json",
    )
    assert answer.status_code == 201 and answer.json()["completes_course"] is True

    bands = client.get("/api/testing/doses/coverage/?on=2022-01-01").json()

    assert bands == [
        {
            "band": "18–59",
            "grid": None,
            "population": 3,
            "first_dose": 1,
            "complete": 1,
            "first_dose_percent": 33.3,
            "complete_percent": 33.3,
        }
    ]
    assert (
        api("dora")
        .post(
            "/api/testing/doses/",
            {
                "person": world.persons["zhang_san"].pk,
                "dose_number": 2,
                "vaccinated_on": "2021-06-01",
                "vaccine": "x",
            },
            format="json",
        )
        .status_code
        == 400
    )  # 张三 is not assigned to the doctor: the reference does not exist for her


def test_the_schema_describes_the_testing_api(world, api):
    schema = api("alice").get("/api/schema/", HTTP_ACCEPT="application/json").content.decode()

    for path in (
        "/api/testing/rounds/{id}/coverage/",
        "/api/testing/results/import/",
        "/api/testing/keygroups/overdue/",
    ):
        assert path in schema
