"""Browsing street → community → grid → building → household, scoped; 404 outside scope."""

import pytest
from django.urls import reverse

from wangge.regions.models import Household


def url_of(world, kind: str, key: str) -> str:
    household = world.households[key]
    objects = {
        "street": world.street,
        "community": household.grid.community,
        "grid": household.grid,
        "compound": household.building.compound,
        "building": household.building,
        "household": household,
    }
    return reverse(f"regions:{kind}_detail", args=[objects[kind].pk])


PAGES = ["street", "community", "grid", "compound", "building", "household"]


@pytest.mark.parametrize("kind", PAGES)
def test_commander_browses_every_level(client, world, kind):
    client.force_login(world.users["alice"])

    for key in ("a", "d"):
        response = client.get(url_of(world, kind, key))
        assert response.status_code == 200, (kind, key)


@pytest.mark.parametrize("kind", ["grid", "building", "household"])
def test_grid_worker_gets_404_on_the_next_grid(client, world, kind):
    client.force_login(world.users["gavin"])

    assert client.get(url_of(world, kind, "a")).status_code == 200
    assert client.get(url_of(world, kind, "a1")).status_code == 200
    assert client.get(url_of(world, kind, "b")).status_code == 404


@pytest.mark.parametrize("kind", ["community", "grid", "compound", "building", "household"])
def test_community_worker_sees_nothing_of_the_next_community(client, world, kind):
    client.force_login(world.users["carol"])

    assert client.get(url_of(world, kind, "b")).status_code == 200
    assert client.get(url_of(world, kind, "d")).status_code == 404


def test_street_page_lists_only_communities_in_scope(client, world):
    client.force_login(world.users["carol"])

    response = client.get(url_of(world, "street", "a"))

    assert [c.name for c in response.context["communities"]] == ["东社区"]
    assert "西社区" not in response.text


def test_community_page_of_grid_worker_hides_other_grids_and_their_counts(client, world):
    client.force_login(world.users["gavin"])

    response = client.get(url_of(world, "community", "a"))

    assert [g.name for g in response.context["grids"]] == ["第一网格", "第一网格一小格"]
    assert "第二网格" not in response.text
    (sunny,) = response.context["compounds"]
    assert (sunny.n_children, sunny.n_households, sunny.n_persons) == (2, 2, 2)


def test_big_grid_lists_its_small_grid_and_buildings(client, world):
    client.force_login(world.users["gavin"])

    response = client.get(url_of(world, "grid", "a"))

    assert [g.name for g in response.context["small_grids"]] == ["第一网格一小格"]
    assert [str(b) for b in response.context["buildings"]] == ["阳光花园1幢"]


def test_breadcrumbs_lead_from_street_to_household(client, world):
    client.force_login(world.users["gavin"])

    response = client.get(url_of(world, "household", "a1"))

    labels = [label for label, _ in response.context["crumbs"]]
    assert labels == [
        "江南街道",
        "东社区",
        "第一网格",
        "第一网格一小格",
        "阳光花园2幢",
        "1单元201室",
    ]
    assert all(url for _, url in response.context["crumbs"])


def test_building_page_is_paginated(client, world):
    building = world.households["a"].building
    for room in range(102, 162):
        Household.objects.create(building=building, grid=world.grid_a, unit="1", room=str(room))
    client.force_login(world.users["gavin"])

    first = client.get(url_of(world, "building", "a"))
    second = client.get(url_of(world, "building", "a"), {"page": 2})

    assert len(first.context["households"]) == 50
    assert len(second.context["households"]) == 11
    assert "?page=2" in first.text


def test_household_page_lists_members_masked(client, world):
    client.force_login(world.users["gavin"])

    response = client.get(url_of(world, "household", "a"))

    zhang = world.persons["zhang_san"]
    assert zhang.name in response.text
    assert zhang.id_number_masked in response.text
    assert zhang.id_number not in response.text


def test_doctor_sees_no_browse_pages_even_around_her_assigned_person(client, world):
    client.force_login(world.users["dora"])

    for kind in PAGES:
        assert client.get(url_of(world, kind, "d")).status_code == 404


def test_checkpoint_staff_see_no_register_page_at_all(client, world):
    client.force_login(world.users["kim"])

    for kind in PAGES:
        assert client.get(url_of(world, kind, "d")).status_code == 403


def test_checkpoint_staff_get_403_on_the_register_index(client, world):
    client.force_login(world.users["kim"])

    assert client.get(reverse("regions:index")).status_code == 403


def test_index_goes_straight_to_the_only_street(client, world):
    client.force_login(world.users["gavin"])

    response = client.get(reverse("regions:index"))

    assert response.status_code == 302
    assert response["Location"] == reverse("regions:street_detail", args=[world.street.pk])
