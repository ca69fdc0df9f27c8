"""召集令 over the API: scoped to the caller's area (another street's call is 404), created with
posts, sent, its invites filtered by answer, and the answer by token without an account,
throttled per address."""

from datetime import timedelta

import pytest
from rest_framework.test import APIClient

from wangge.regions.models import Community, Street
from wangge.teams.call_links import invite_token
from wangge.teams.tests.call_fixtures import NOW, make_call, team

pytestmark = pytest.mark.usefixtures("clock")


@pytest.fixture
def north_call(world):
    street = Street.objects.create(name="北街道", code="330783002")
    community = Community.objects.create(street=street, name="北社区")
    return make_call(world.users["admin"], street, community, [team(street, community)])


def test_calls_are_listed_in_the_callers_area_and_another_streets_is_404(
    world, crew, north_call, api_client_for
):
    east_call = make_call(world.users["carol"], world.street, world.east, [crew.east])
    client = api_client_for(world.users["alice"])
    listed = client.get("/api/teams/calls/").json()
    assert [row["id"] for row in listed["results"]] == [east_call.pk]
    read = client.get(f"/api/teams/calls/{east_call.pk}/").json()
    assert [post["needed"] for post in read["posts"]] == [2, 1] and read["fill_rate"] == 0
    assert client.get(f"/api/teams/calls/{north_call.pk}/").status_code == 404
    assert client.post(f"/api/teams/calls/{north_call.pk}/send/").status_code == 404
    assert client.get(f"/api/teams/calls/{north_call.pk}/invites/").status_code == 404


def test_a_call_is_created_sent_and_its_invites_filtered(world, crew, api_client_for):
    client = api_client_for(world.users["carol"])
    start = NOW + timedelta(days=1)
    body = {
        "kind": "recruit",
        "title": "物资配送招募",
        "text": "封控区物资配送",
        "street": world.street.pk,
        "community": world.east.pk,
        "team_kinds": ["volunteer"],
        "deadline": (NOW + timedelta(hours=3)).isoformat(),
        "posts": [
            {
                "name": "物资配送",
                "place": "阳光花园",
                "starts_at": start.isoformat(),
                "ends_at": (start + timedelta(hours=2)).isoformat(),
                "needed": 3,
            }
        ],
    }
    created = client.post("/api/teams/calls/", body, format="json")
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    sent = client.post(f"/api/teams/calls/{pk}/send/").json()
    assert sent == {"asked": 2, "sms": 2, "inapp": 0, "unreachable": 0}
    Client = APIClient()
    answered = Client.post(
        "/api/teams/call-answers/",
        {"token": invite_token(pk, crew.medic.pk), "answer": "declined"},
        format="json",
    )
    assert answered.status_code == 200 and answered.json()["answer"] == "declined"
    declined = client.get(f"/api/teams/calls/{pk}/invites/?answer=declined").json()
    assert [row["name"] for row in declined["results"]] == ["钱医"]
    assert client.get(f"/api/teams/calls/{pk}/invites/?answer=maybe").status_code == 400
    bad = dict(body, posts=[dict(body["posts"][0], ends_at=start.isoformat())])
    assert client.post("/api/teams/calls/", bad, format="json").status_code == 400


def test_answers_by_token_are_throttled_per_address(world, crew, settings):
    settings.WANGGE = {**settings.WANGGE, "CALL_ANSWERS_PER_ADDRESS_PER_MINUTE": 1}
    client = APIClient()
    first = client.post("/api/teams/call-answers/", {"token": "x" * 16, "answer": "accepted"})
    assert first.status_code == 400
    second = client.post("/api/teams/call-answers/", {"token": "x" * 16, "answer": "accepted"})
    assert second.status_code == 429
