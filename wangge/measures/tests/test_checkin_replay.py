"""A client id is a phone's replay key within one measure: the caller's right is checked before it
is looked up, a replay on the same measure answers the stored check-in, and the same id on another
measure is refused (409 `client_id_conflict`) without showing what it names."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.urls import reverse
from rest_framework.test import APIClient

from wangge.measures.models import CheckIn
from wangge.measures.services import (
    ClientIdConflict,
    checkin_link_token,
    checkin_record,
    measure_assign,
)

DAY = date(2022, 7, 1)
CHECKINS = "/api/measures/check-ins/"


def _under_measure(world, drill, person: str):
    (measure,) = measure_assign(
        by=world.users["carol"],
        persons=[world.persons[person]],
        measure_type=drill["home"],
        start=DAY,
        reason="密接",
    )
    return measure


@pytest.fixture
def gavins(world, drill, clock):
    """Zhang San (grid A) under a measure, with a fever check-in Gavin recorded as `g-1`."""
    measure = _under_measure(world, drill, "zhang_san")
    checkin_record(by=world.users["gavin"], measure=measure, temperature="38.4", client_id="g-1")
    return measure


@pytest.fixture
def bellas(world, drill, clock):
    """Wang Wu (grid B) under a measure, Bella's to serve."""
    return _under_measure(world, drill, "wang_wu")


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_a_worker_of_another_grid_replaying_a_client_id_is_refused_before_the_lookup(world, gavins):
    # when Bella (grid B) sends Gavin's client id on Gavin's measure
    with pytest.raises(PermissionDenied):
        checkin_record(by=world.users["bella"], measure=gavins, temperature="36.5", client_id="g-1")
    # then she got nothing back and nothing changed
    assert CheckIn.objects.filter(measure=gavins).count() == 1


def test_a_client_id_of_another_measure_is_a_conflict_not_a_replay(world, gavins, bellas):
    # when Bella records Wang Wu's check-in under the client id Gavin used
    with pytest.raises(ClientIdConflict) as refused:
        checkin_record(by=world.users["bella"], measure=bellas, temperature="36.5", client_id="g-1")
    # then the stable code, and Gavin's fever is not in what she is told
    assert refused.value.error_code == "client_id_conflict"
    assert "38.4" not in str(refused.value)
    assert not CheckIn.objects.filter(measure=bellas).exists()
    # and the same check-in under a fresh client id is stored
    _, created = checkin_record(
        by=world.users["bella"], measure=bellas, temperature="36.5", client_id="b-1"
    )
    assert created


def test_the_same_client_id_on_the_same_measure_answers_the_stored_checkin(world, gavins):
    stored = CheckIn.objects.get(client_id="g-1")
    again, created = checkin_record(
        by=world.users["carol"], measure=gavins, temperature="36.1", client_id="g-1"
    )
    assert (again.pk, created, again.temperature) == (stored.pk, False, stored.temperature)


def test_the_database_holds_a_client_id_once_per_measure(world, gavins, bellas):
    first = CheckIn.objects.get(client_id="g-1")
    with pytest.raises(IntegrityError), transaction.atomic():
        CheckIn.objects.create(measure=gavins, client_id="g-1", temperature="36.5", source="api")
    CheckIn.objects.create(measure=bellas, client_id="g-1", temperature="36.5", source="api")
    assert CheckIn.objects.filter(client_id="g-1").exclude(pk=first.pk).get().measure == bellas


def test_the_api_answers_409_client_id_conflict_on_another_measure(world, gavins, bellas):
    body = {"measure": bellas.pk, "client_id": "g-1", "temperature": "36.6", "symptoms": []}
    response = api(world.users["bella"]).post(CHECKINS, body, format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "client_id_conflict"
    assert " / " in response.json()["client_id"][0]
    assert "38.4" not in response.content.decode()
    assert not CheckIn.objects.filter(measure=bellas).exists()


def test_the_api_reveals_nothing_of_another_grids_checkin_by_its_client_id(world, gavins):
    body = {"measure": gavins.pk, "client_id": "g-1", "temperature": "36.6", "symptoms": []}
    response = api(world.users["bella"]).post(CHECKINS, body, format="json")
    assert response.status_code == 400
    assert "38.4" not in response.content.decode()
    assert CheckIn.objects.count() == 1


def test_the_api_answers_a_replay_on_the_same_measure_with_200(world, gavins):
    body = {"measure": gavins.pk, "client_id": "g-1", "temperature": "36.6", "symptoms": []}
    response = api(world.users["gavin"]).post(CHECKINS, body, format="json")
    assert response.status_code == 200
    assert response.json()["temperature"] == "38.4"


def test_the_residents_link_refuses_a_client_id_of_another_measure(client, world, gavins, bellas):
    # given Wang Wu's own signed link
    url = reverse("measures:resident_checkin", args=[checkin_link_token(bellas)])
    # when it is posted with the client id of Zhang San's check-in
    response = client.post(url, {"temperature": "36.7", "client_id": "g-1"})
    # then 422 with the bilingual message, nothing of Zhang San's, nothing stored
    page = response.content.decode()
    assert response.status_code == 422
    assert "该客户端编号已用于其他管控对象的打卡" in page
    assert "resident-done" not in page and "38.4" not in page
    assert not CheckIn.objects.filter(measure=bellas).exists()
    # and the form carries a fresh client id, so sending it again records the check-in
    fresh = response.context["form"]["client_id"].value()
    assert fresh and fresh != "g-1"
    client.post(url, {"temperature": "36.7", "client_id": fresh})
    assert CheckIn.objects.get(measure=bellas).client_id == fresh


def test_the_board_form_refuses_a_client_id_of_another_measure(client, world, gavins, bellas):
    client.force_login(world.users["bella"])
    response = client.post(
        reverse("measures:checkin", args=[bellas.pk]), {"temperature": "36.7", "client_id": "g-1"}
    )
    assert response.status_code == 422
    assert "this client_id was already used" in response.content.decode()
    assert not CheckIn.objects.filter(measure=bellas).exists()
