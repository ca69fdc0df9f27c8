"""The home page per role (below the commander, whose home is tested in test_situation.py) and
the navigation."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from wangge.regions.models import Building, Community, Compound, Grid, Household


def home_for(client, user):
    client.force_login(user)
    return client.get(reverse("front:home"))


def test_home_needs_a_login(client, world):
    response = client.get(reverse("front:home"))

    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_tracer_sees_the_street_overview_by_community(client, world):
    response = home_for(client, world.users["tracy"])

    assert response.status_code == 200
    assert response.context["overview_totals"] == {
        "communities": 2,
        "grids": 4,
        "households": 4,
        "persons": 4,
    }
    rows = {
        c.name: (c.n_children, c.n_households, c.n_persons) for c in response.context["overview"]
    }
    assert rows == {"东社区": (3, 3, 3), "西社区": (1, 1, 1)}
    assert reverse("regions:community_detail", args=[world.west.pk]) in response.text


@pytest.mark.parametrize("persona", ["alice", "admin"])
def test_commanders_and_admins_see_the_situation_instead_of_the_overview(client, world, persona):
    response = home_for(client, world.users[persona])

    assert 'data-testid="situation"' in response.text
    assert "overview" not in response.context


def test_overview_counts_take_the_same_queries_however_many_communities(
    client, world, django_assert_max_num_queries
):
    # given: the query count for the world's two communities
    client.force_login(world.users["tracy"])
    with CaptureQueriesContext(connection) as baseline:
        client.get(reverse("front:home"))
    # when: six more communities with a grid, a building and a household each
    for number in range(6):
        community = Community.objects.create(street=world.street, name=f"新社区{number}")
        grid = Grid.objects.create(community=community, name="网格")
        compound = Compound.objects.create(community=community, name="小区")
        building = Building.objects.create(compound=compound, grid=grid, name="1幢")
        Household.objects.create(building=building, grid=grid, unit="1", room="101")
    # then: the overview is still computed with the same number of queries
    with django_assert_max_num_queries(len(baseline.captured_queries)):
        response = client.get(reverse("front:home"))
    assert response.context["overview_totals"]["communities"] == 8


def test_community_worker_sees_their_communitys_grids_only(client, world):
    response = home_for(client, world.users["carol"])

    names = [grid.name for grid in response.context["community_grids"]]
    assert names == ["第一网格", "第一网格一小格", "第二网格"]
    assert "第四网格" not in response.text
    assert "overview" not in response.context


def test_grid_worker_sees_their_grids_with_buildings(client, world):
    response = home_for(client, world.users["gavin"])

    assert [grid.name for grid in response.context["my_grids"]] == ["第一网格", "第一网格一小格"]
    buildings = {str(b): (b.n_households, b.n_persons) for b in response.context["my_buildings"]}
    assert buildings == {"阳光花园1幢": (1, 1), "阳光花园2幢": (1, 1)}
    assert "3幢" not in response.text


def test_doctor_sees_the_persons_assigned_to_her(client, world):
    response = home_for(client, world.users["dora"])

    assert [p.name for p in response.context["assigned"]] == ["赵六"]
    assert world.persons["zhao_liu"].id_number_masked in response.text
    assert world.persons["zhao_liu"].id_number not in response.text


def test_checkpoint_staff_get_a_page_without_register_data(client, world):
    response = home_for(client, world.users["kim"])

    assert response.status_code == 200
    assert 'data-testid="no-register"' in response.text
    assert 'data-testid="search"' not in response.text
    for person in world.persons.values():
        assert person.name not in response.text


@pytest.mark.parametrize(
    ("persona", "shown", "hidden"),
    [
        ("alice", ["审计日志", "辖区"], []),
        ("gavin", ["辖区"], ["审计日志"]),
        ("kim", ["首页"], ["辖区", "审计日志", "API 文档"]),
    ],
)
def test_navigation_depends_on_role(client, world, persona, shown, hidden):
    response = home_for(client, world.users[persona])

    menu = response.text.split('id="main-menu"', 1)[1].split('class="navbar-end"', 1)[0]
    for label in shown:
        assert label in menu
    for label in hidden:
        assert label not in menu


def test_every_menu_entry_resolves_and_checkpoint_staff_get_their_page(world):
    from wangge.core.navigation import menu_for

    commander = [
        link["label"] for group in menu_for(world.users["alice"], "/") for link in group["links"]
    ]
    checkpoint = [
        link["label"] for group in menu_for(world.users["kim"], "/") for link in group["links"]
    ]

    assert "审计日志" in commander and "卡点" in commander
    assert "卡点" in checkpoint and "辖区" not in checkpoint


def test_pages_speak_chinese_by_default_and_english_after_the_switch(client, world):
    client.force_login(world.users["gavin"])

    chinese = client.get(reverse("front:home"))
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    english = client.get(reverse("front:home"))

    assert "我的网格" in chinese.text
    assert "My grids" in english.text
    assert ">Wangge<" in english.text
