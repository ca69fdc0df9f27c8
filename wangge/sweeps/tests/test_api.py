"""The sweeps API: campaigns created and started through it, visits scoped by grid, and the sync
of a phone's queue answered per item."""

from wangge.sweeps.models import Attempt, Campaign
from wangge.sweeps.tests.conftest import answers_for, at, cid


def test_a_community_worker_creates_starts_and_assigns_a_campaign(world, clock, api_client_for):
    client = api_client_for(world.users["carol"])
    made = client.post(
        "/api/sweeps/campaigns/",
        {
            "name": "消防排查",
            "grids": [world.grid_b.pk],
            "checks": ["fire", "rental"],
            "deadline": at(9, 18).isoformat(),
        },
        format="json",
    )
    assert made.status_code == 201, made.json()
    assert made.json()["checks"] == ["rental", "fire"]
    pk = made.json()["id"]
    assert client.post(f"/api/sweeps/campaigns/{pk}/start/").json() == {"visits": 1}
    assigned = client.post(
        f"/api/sweeps/campaigns/{pk}/assign/",
        {"sweeper": world.users["bella"].pk, "grids": [world.grid_b.pk]},
        format="json",
    )
    assert assigned.json() == {"assignments": 1}
    assert client.post(f"/api/sweeps/campaigns/{pk}/close/").json()["status"] == "closed"


def test_a_grid_worker_may_not_create_a_campaign(world, clock, api_client_for):
    answer = api_client_for(world.users["gavin"]).post(
        "/api/sweeps/campaigns/",
        {
            "name": "扫楼",
            "grids": [world.grid_a.pk],
            "checks": ["fire"],
            "deadline": at(9, 18).isoformat(),
        },
        format="json",
    )
    assert answer.status_code == 403


def test_a_grid_worker_lists_only_their_grids_visits_and_another_is_404(
    world, campaign, api_client_for
):
    client = api_client_for(world.users["bella"])
    listed = client.get("/api/sweeps/visits/", {"campaign": campaign.pk}).json()["results"]
    assert {row["grid"] for row in listed} == {world.grid_b.pk}
    theirs = campaign.visits.get(household=world.households["a"])
    assert client.get(f"/api/sweeps/visits/{theirs.pk}/").status_code == 404
    assert (
        api_client_for(world.users["dora"]).get(f"/api/sweeps/campaigns/{campaign.pk}/").status_code
        == 404
    )


def test_sync_answers_per_item_and_a_batch_sent_twice_is_recorded_once(
    world, campaign, visit_a, api_client_for
):
    client = api_client_for(world.users["gavin"])
    other = campaign.visits.get(household=world.households["b"])
    batch = {
        "attempts": [
            {
                "visit": visit_a.pk,
                "client_id": cid(),
                "at": at(6, 9).isoformat(),
                "result": "nobody_home",
                "note": "留条",
            },
            {
                "visit": other.pk,
                "client_id": cid(),
                "at": at(6, 9).isoformat(),
                "result": "nobody_home",
            },
            {
                "visit": visit_a.pk,
                "client_id": "not-a-uuid",
                "at": "yesterday",
                "result": "answered",
            },
            {
                "visit": visit_a.pk,
                "client_id": cid(),
                "at": at(6, 10).isoformat(),
                "result": "answered",
                "answers": answers_for(visit_a),
            },
        ]
    }
    first = client.post("/api/sweeps/sync/", batch, format="json")
    again = client.post("/api/sweeps/sync/", batch, format="json")
    assert [r["status"] for r in first.json()["results"]] == [
        "recorded",
        "rejected",
        "rejected",
        "recorded",
    ]
    assert [r["status"] for r in again.json()["results"]] == [
        "duplicate",
        "rejected",
        "rejected",
        "duplicate",
    ]
    assert "client_id" in first.json()["results"][2]["message"]
    assert Attempt.objects.count() == 2
    detail = client.get(f"/api/sweeps/visits/{visit_a.pk}/").json()
    assert detail["status"] == "answered" and len(detail["attempts"]) == 2


def test_sync_refuses_a_batch_over_the_limit(world, campaign, api_client_for):
    item = {"visit": 1, "client_id": cid(), "at": at(6, 9).isoformat(), "result": "nobody_home"}
    answer = api_client_for(world.users["gavin"]).post(
        "/api/sweeps/sync/", {"attempts": [item] * 201}, format="json"
    )
    assert answer.status_code == 400
    assert Campaign.objects.count() == 1
