"""The queue of findings, on the page and over the API: scoped to the worker's grids, decided
once, and nothing written by a rejection."""

import pytest

from wangge.core import crypto
from wangge.people.models import Person
from wangge.sweeps.models import Proposal, ProposalStatus
from wangge.sweeps.tests.sweep_world import proposal_of, sweep_of

Kind = Proposal.Kind


@pytest.fixture
def sweep(world):
    return sweep_of(world)


@pytest.fixture
def phone(world, sweep):
    """张三 gave a new phone at the door."""
    sweep.visits["a"].answers = {
        "residents.phone": {str(world.persons["zhang_san"].pk): "139****8888"}
    }
    sweep.visits["a"].save()
    return proposal_of(
        sweep.visits["a"],
        Kind.PERSON_FIELD,
        world.persons["zhang_san"],
        field="phone",
        masked="139****8888",
        sealed=crypto.seal("13900008888"),
    )


def test_the_queue_shows_the_answer_and_what_would_change(client, world, phone):
    client.force_login(world.users["gavin"])

    page = client.get("/sweeps/proposals/").content.decode()

    assert "张三的电话：138****1111 → 139****8888" in page
    assert "新电话：139****8888" in page
    assert 'data-testid="confirm"' in page


def test_another_grids_worker_neither_sees_nor_decides_it(client, world, phone):
    client.force_login(world.users["bella"])

    assert 'data-testid="finding"' not in client.get("/sweeps/proposals/").content.decode()
    assert client.post(f"/sweeps/proposals/{phone.pk}/confirm/").status_code == 404
    phone.refresh_from_db()
    assert phone.status == ProposalStatus.PROPOSED


def test_confirming_on_the_page_changes_the_register(client, world, phone):
    client.force_login(world.users["gavin"])

    response = client.post(f"/sweeps/proposals/{phone.pk}/confirm/")

    assert response.status_code == 302
    assert Person.objects.get(pk=world.persons["zhang_san"].pk).phone_masked == "139****8888"
    done = client.get("/sweeps/proposals/?status=confirmed").content.decode()
    assert f'href="/people/{world.persons["zhang_san"].pk}/"' in done


def test_a_rejection_without_reason_is_refused_with_a_message(client, world, phone):
    client.force_login(world.users["gavin"])

    response = client.post(f"/sweeps/proposals/{phone.pk}/reject/", {"reason": ""}, follow=True)

    assert "请填写驳回理由" in response.content.decode()
    phone.refresh_from_db()
    assert phone.status == ProposalStatus.PROPOSED


def test_the_api_lists_confirms_and_refuses_a_second_decision(api_client_for, world, phone):
    gavin = api_client_for(world.users["gavin"])

    listed = gavin.get("/api/sweeps/proposals/?status=proposed").json()
    confirmed = gavin.post(f"/api/sweeps/proposals/{phone.pk}/confirm/", {}, format="json")
    again = gavin.post(f"/api/sweeps/proposals/{phone.pk}/reject/", {"reason": "x"}, format="json")

    assert [row["id"] for row in listed["results"]] == [phone.pk]
    assert "sealed" not in listed["results"][0]["details"]
    assert confirmed.status_code == 200 and confirmed.json()["status"] == "confirmed"
    assert again.status_code == 400


def test_the_api_hides_another_grids_findings(api_client_for, world, phone):
    bella = api_client_for(world.users["bella"])

    assert bella.get("/api/sweeps/proposals/").json()["count"] == 0
    response = bella.post(
        f"/api/sweeps/proposals/{phone.pk}/reject/", {"reason": "x"}, format="json"
    )
    assert response.status_code == 404
