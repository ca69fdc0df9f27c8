"""The persons API, persona by persona: scoping, masking, reveal, writes through the services."""

import pytest

from conftest import make_id_number
from wangge.core.models import AuditEntry
from wangge.core.roles import ROLE_ACTIONS, Action, Role
from wangge.people.models import Person


def names(response) -> list[str]:
    return sorted(row["name"] for row in response.json()["results"])


def person_url(person: Person, suffix: str = "") -> str:
    return f"/api/persons/{person.pk}/{suffix}"


def valid_payload(world, **changes) -> dict:
    payload = {
        "name": "钱七",
        "id_number": make_id_number(77),
        "phone": "13512345678",
        "household": world.households["a"].pk,
        "relation": "spouse",
        "tags": ["party_member", "building_leader"],
    }
    return {**payload, **changes}


# --- scoping -------------------------------------------------------------------------------------


def test_grid_worker_lists_only_his_grid_and_its_small_grid(world, api_client_for):
    response = api_client_for(world.users["gavin"]).get("/api/persons/")

    assert response.status_code == 200
    assert names(response) == ["张三", "李四"]
    assert response.json()["count"] == 2


def test_grid_worker_gets_404_for_the_next_grids_person(world, api_client_for):
    gavin = api_client_for(world.users["gavin"])

    response = gavin.get(person_url(world.persons["wang_wu"]))

    assert response.status_code == 404
    assert "王五" not in response.content.decode()


def test_grid_worker_cannot_update_the_next_grids_person(world, api_client_for):
    # given
    wang_wu = world.persons["wang_wu"]
    # when
    response = api_client_for(world.users["gavin"]).patch(
        person_url(wang_wu), {"note": "改了"}, format="json"
    )
    # then
    assert response.status_code == 404
    wang_wu.refresh_from_db()
    assert wang_wu.note == ""
    assert not AuditEntry.objects.filter(action="update").exists()


@pytest.mark.parametrize("query", ["ww", "wangwu", "王五", "3333", "3幢"])
def test_grid_worker_search_never_returns_the_next_grids_persons(world, api_client_for, query):
    gavin = api_client_for(world.users["gavin"])
    bella = api_client_for(world.users["bella"])

    assert names(gavin.get("/api/persons/", {"q": query})) == []
    assert names(bella.get("/api/persons/", {"q": query})) == ["王五"]


def test_search_by_pinyin_initials_and_id_tail(world, api_client_for):
    gavin = api_client_for(world.users["gavin"])
    id_tail = make_id_number(2)[-4:]

    assert names(gavin.get("/api/persons/", {"q": "zs"})) == ["张三"]
    assert names(gavin.get("/api/persons/", {"q": id_tail})) == ["李四"]


def test_community_worker_sees_nothing_of_the_next_community(world, api_client_for):
    carol = api_client_for(world.users["carol"])

    assert names(carol.get("/api/persons/")) == ["张三", "李四", "王五"]
    assert carol.get(person_url(world.persons["zhao_liu"])).status_code == 404
    assert names(carol.get("/api/persons/", {"q": "zl"})) == []


def test_checkpoint_staff_get_an_empty_list(world, api_client_for):
    response = api_client_for(world.users["kim"]).get("/api/persons/")

    assert response.status_code == 200
    assert response.json()["count"] == 0
    assert response.json()["results"] == []


def test_doctor_sees_only_her_assigned_person(world, api_client_for):
    dora = api_client_for(world.users["dora"])

    assert names(dora.get("/api/persons/")) == ["赵六"]
    assert dora.get(person_url(world.persons["zhao_liu"])).status_code == 200
    assert dora.get(person_url(world.persons["zhang_san"])).status_code == 404


# --- masking and reveal --------------------------------------------------------------------------


def test_persons_are_shown_masked_without_sealed_or_hashed_fields(world, api_client_for):
    zhang_san = world.persons["zhang_san"]

    response = api_client_for(world.users["alice"]).get(person_url(zhang_san))

    body = response.json()
    assert body["id_number_masked"] == zhang_san.id_number_masked
    assert body["phone_masked"] == "138****1111"
    assert body["tags"] == ["party_member"]
    assert body["grid"] == world.grid_a.pk
    assert not [key for key in body if "sealed" in key or "hash" in key or "last" in key]
    assert "id_number" not in body and "phone" not in body
    content = response.content.decode()
    assert make_id_number(1) not in content
    assert "13800001111" not in content


def test_reveal_returns_the_full_value_and_is_audited(world, api_client_for):
    # given
    zhang_san = world.persons["zhang_san"]
    # when
    response = api_client_for(world.users["gavin"]).post(
        person_url(zhang_san, "reveal/"),
        {"field": "id_number", "reason": "核对身份"},
        format="json",
    )
    # then
    assert response.status_code == 200
    assert response.json() == {"field": "id_number", "value": make_id_number(1)}
    assert response["Cache-Control"] == "no-store"
    entry = AuditEntry.objects.get(action="reveal")
    assert entry.actor == world.users["gavin"]
    assert entry.target_id == str(zhang_san.pk)
    assert entry.reason == "核对身份"
    assert entry.changes == {"field": "id_number"}


def test_reveal_is_refused_to_a_user_without_the_reveal_permission(
    world, api_client_for, monkeypatch
):
    # given grid workers who may view and edit but not reveal
    monkeypatch.setitem(ROLE_ACTIONS, Role.GRID_WORKER, frozenset({Action.VIEW, Action.EDIT}))
    # when
    response = api_client_for(world.users["gavin"]).post(
        person_url(world.persons["zhang_san"], "reveal/"),
        {"field": "phone", "reason": "回访"},
        format="json",
    )
    # then
    assert response.status_code == 403
    assert "13800001111" not in response.content.decode()
    assert not AuditEntry.objects.filter(action="reveal").exists()


def test_reveal_outside_scope_is_404(world, api_client_for):
    response = api_client_for(world.users["kim"]).post(
        person_url(world.persons["zhang_san"], "reveal/"),
        {"field": "phone", "reason": "查"},
        format="json",
    )

    assert response.status_code == 404
    assert not AuditEntry.objects.filter(action="reveal").exists()


def test_reveal_needs_a_reason(world, api_client_for, settings):
    settings.WANGGE = {**settings.WANGGE, "REVEAL_REASON_REQUIRED": True}

    response = api_client_for(world.users["gavin"]).post(
        person_url(world.persons["zhang_san"], "reveal/"), {"field": "phone"}, format="json"
    )

    assert response.status_code == 400
    assert response.json() == {"reason": ["请填写查看理由 / a reason is required"]}
    assert not AuditEntry.objects.filter(action="reveal").exists()


# --- writes ----------------------------------------------------------------------------------------


def test_create_through_the_service_masks_and_audits(world, api_client_for):
    # when
    response = api_client_for(world.users["gavin"]).post(
        "/api/persons/", valid_payload(world), format="json"
    )
    # then
    assert response.status_code == 201, response.json()
    body = response.json()
    person = Person.objects.get(pk=body["id"])
    assert person.id_number == make_id_number(77)
    assert person.household == world.households["a"]
    assert body["id_number_masked"] == person.id_number_masked
    assert body["phone_masked"] == "135****5678"
    assert body["sex"] == "M" and body["birth_date"] == "1980-05-17"
    assert sorted(body["tags"]) == ["building_leader", "party_member"]
    assert make_id_number(77) not in response.content.decode()
    assert AuditEntry.objects.filter(action="create", target_id=str(person.pk)).exists()


def test_create_with_a_bad_check_digit_is_400_and_writes_nothing(world, api_client_for):
    # given an ID number whose last character is wrong
    good = make_id_number(78)
    bad = good[:17] + ("0" if good[17] != "0" else "1")
    persons_before = Person.objects.count()
    # when
    response = api_client_for(world.users["gavin"]).post(
        "/api/persons/", valid_payload(world, id_number=bad), format="json"
    )
    # then
    assert response.status_code == 400
    assert response.json() == {"id_number": ["证件号码校验位错误 / ID number check digit is wrong"]}
    assert Person.objects.count() == persons_before
    assert not AuditEntry.objects.exists()


def test_create_with_an_id_already_registered_is_400(world, api_client_for):
    response = api_client_for(world.users["alice"]).post(
        "/api/persons/", valid_payload(world, id_number=make_id_number(4)), format="json"
    )

    assert response.status_code == 400
    assert response.json() == {
        "id_number": ["该证件号码已登记 / this ID number is already registered"]
    }


def test_create_in_a_household_outside_scope_is_refused(world, api_client_for):
    persons_before = Person.objects.count()

    response = api_client_for(world.users["gavin"]).post(
        "/api/persons/",
        valid_payload(world, household=world.households["b"].pk),
        format="json",
    )

    assert response.status_code == 400
    assert list(response.json()) == ["household"]
    assert Person.objects.count() == persons_before


def test_create_needs_name_id_and_household(world, api_client_for):
    response = api_client_for(world.users["gavin"]).post("/api/persons/", {}, format="json")

    assert response.status_code == 400
    assert set(response.json()) == {"name", "id_number", "household"}


def test_update_changes_only_what_is_sent(world, api_client_for):
    # given
    zhang_san = world.persons["zhang_san"]
    id_hash = zhang_san.id_number_hash
    # when
    response = api_client_for(world.users["gavin"]).patch(
        person_url(zhang_san),
        {"note": "独居", "phone": "0571-87654321", "tags": ["living_alone"]},
        format="json",
    )
    # then
    assert response.status_code == 200, response.json()
    zhang_san.refresh_from_db()
    assert zhang_san.note == "独居"
    assert zhang_san.phone == "0571-87654321"
    assert zhang_san.id_number_hash == id_hash
    assert zhang_san.name == "张三"
    assert response.json()["phone_masked"] == "0571-****4321"
    assert response.json()["tags"] == ["living_alone"]
    entry = AuditEntry.objects.get(action="update", target_id=str(zhang_san.pk))
    assert entry.changes["note"] == ["", "独居"]


def test_update_with_a_bad_phone_is_400_and_changes_nothing(world, api_client_for):
    zhang_san = world.persons["zhang_san"]

    response = api_client_for(world.users["gavin"]).patch(
        person_url(zhang_san), {"phone": "12345", "note": "x"}, format="json"
    )

    assert response.status_code == 400
    assert list(response.json()) == ["phone"]
    zhang_san.refresh_from_db()
    assert zhang_san.note == "" and zhang_san.phone == "13800001111"


def test_user_who_may_view_but_not_edit_gets_403(world, api_client_for):
    response = api_client_for(world.users["tracy"]).patch(
        person_url(world.persons["zhang_san"]), {"note": "x"}, format="json"
    )

    assert response.status_code == 403
    assert response.json()["detail"].endswith("you may not change this person")


def test_put_and_delete_are_not_offered(world, api_client_for):
    alice = api_client_for(world.users["alice"])
    url = person_url(world.persons["zhang_san"])

    assert alice.put(url, valid_payload(world), format="json").status_code == 405
    assert alice.delete(url).status_code == 405


# --- filters and pagination ----------------------------------------------------------------------


def test_filters_by_grid_including_small_grids_building_household_tag_and_status(
    world, api_client_for
):
    alice = api_client_for(world.users["alice"])
    Person.objects.filter(pk=world.persons["li_si"].pk).update(status=Person.Status.AWAY)

    assert names(alice.get("/api/persons/", {"grid": world.grid_a.pk})) == ["张三", "李四"]
    assert names(alice.get("/api/persons/", {"grid": world.grid_a1.pk})) == ["李四"]
    building_b = world.households["b"].building_id
    assert names(alice.get("/api/persons/", {"building": building_b})) == ["王五"]
    household_d = world.households["d"].pk
    assert names(alice.get("/api/persons/", {"household": household_d})) == ["赵六"]
    assert names(alice.get("/api/persons/", {"tag": "party_member"})) == ["张三"]
    assert names(alice.get("/api/persons/", {"status": "away"})) == ["李四"]


def test_filters_stay_inside_scope(world, api_client_for):
    gavin = api_client_for(world.users["gavin"])

    assert names(gavin.get("/api/persons/", {"grid": world.grid_b.pk})) == []


def test_bad_filter_values_are_400(world, api_client_for):
    alice = api_client_for(world.users["alice"])

    assert alice.get("/api/persons/", {"grid": "abc"}).json() == {
        "grid": ["应为整数编号 / must be an integer id"]
    }
    assert list(alice.get("/api/persons/", {"status": "gone"}).json()) == ["status"]


def test_lists_are_paginated(world, api_client_for):
    alice = api_client_for(world.users["alice"])

    first = alice.get("/api/persons/", {"page_size": 3}).json()
    second = alice.get("/api/persons/", {"page_size": 3, "page": 2}).json()

    assert first["count"] == 4 and len(first["results"]) == 3 and first["next"]
    assert len(second["results"]) == 1 and second["next"] is None


def test_tag_catalogue_lists_codes(world, api_client_for):
    tags = api_client_for(world.users["gavin"]).get("/api/tags/").json()

    assert {"code": "party_member", "name": "党员", "builtin": True, "sensitive": False} in tags


def test_list_takes_a_fixed_number_of_queries(world, api_client_for, django_assert_max_num_queries):
    alice = api_client_for(world.users["alice"])

    with django_assert_max_num_queries(7):
        response = alice.get("/api/persons/")

    assert response.json()["count"] == 4
