"""The colour pages and the colour API: counts per level, scoped; markers in household lists."""

from django.urls import reverse

from wangge.people.models import Tag
from wangge.regions.tests.colour_fixtures import colour_types, coloured, put_under

__all__ = ["colour_types", "coloured"]


def test_the_street_table_and_chart(client, coloured, colour_types):
    put_under(coloured.users["alice"], coloured.persons["zhao_liu"], colour_types["red"])
    client.force_login(coloured.users["alice"])

    page = client.get(reverse("colours:street", args=[coloured.street.pk]))

    assert page.status_code == 200
    rows = {row.label: row.cells for row in page.context["communities"]}
    assert rows == {"东社区": [0, 0, 0, 3, 0], "西社区": [1, 0, 0, 0, 0]}
    assert page.context["totals"].cells == [1, 0, 0, 3, 0]
    red = page.context["chart"]["series"][0]
    assert red["data"] == [0, 1] and page.context["chart"]["labels"] == ["东社区", "西社区"]
    assert [row.label for row in page.context["grids"]] == [
        "东社区 · 第一网格",
        "东社区 · 第一网格一小格",
        "东社区 · 第二网格",
        "西社区 · 第四网格",
    ]


def test_a_community_worker_counts_only_her_community(client, coloured):
    client.force_login(coloured.users["carol"])

    page = client.get(reverse("colours:street", args=[coloured.street.pk]))

    assert [row.label for row in page.context["communities"]] == ["东社区"]
    assert page.context["totals"].total == 3
    assert "西社区" not in page.text


def test_the_grid_page_counts_buildings_with_small_grids(client, coloured):
    client.force_login(coloured.users["gavin"])

    page = client.get(reverse("colours:grid", args=[coloured.grid_a.pk]))

    assert [row.label for row in page.context["rows"]] == ["阳光花园1幢", "阳光花园2幢"]
    assert page.context["totals"].total == 2
    assert client.get(reverse("colours:grid", args=[coloured.grid_b.pk])).status_code == 404


def test_the_building_page_shows_colours_and_markers(client, coloured, colour_types):
    put_under(coloured.users["alice"], coloured.persons["zhang_san"], colour_types["orange"])
    client.force_login(coloured.users["gavin"])

    page = client.get(
        reverse("regions:building_detail", args=[coloured.households["a"].building.pk])
    )

    assert 'data-colour="orange"' in page.text
    assert "#mk-flag" in page.text  # 张三 is a party member
    assert reverse("colours:building", args=[coloured.households["a"].building.pk]) in page.text


def test_the_household_api(api_client_for, coloured, colour_types):
    put_under(coloured.users["alice"], coloured.persons["li_si"], colour_types["yellow"])
    coloured.persons["li_si"].tags.add(Tag.objects.get(code="serious_illness"))
    gavin = api_client_for(coloured.users["gavin"])

    listed = gavin.get("/api/colours/households/").json()
    yellow = gavin.get("/api/colours/households/?colour=yellow").json()
    counts = gavin.get("/api/colours/households/counts/?by=grid").json()
    history = gavin.get(f"/api/colours/households/{coloured.households['a1'].pk}/history/").json()
    hidden = gavin.get(f"/api/colours/households/{coloured.households['b'].pk}/")

    by_id = {row["id"]: row for row in listed["results"]}
    assert set(by_id) == {coloured.households["a"].pk, coloured.households["a1"].pk}
    assert by_id[coloured.households["a"].pk]["markers"] == ["flag"]
    assert by_id[coloured.households["a1"].pk]["markers"] == ["heart"]
    assert [row["id"] for row in yellow["results"]] == [coloured.households["a1"].pk]
    assert {row["id"]: (row["green"], row["yellow"]) for row in counts} == {
        coloured.grid_a.pk: (1, 0),
        coloured.grid_a1.pk: (0, 1),
    }
    assert [(c["old"], c["new"], c["reason"]) for c in history][0] == ("green", "yellow", "measure")
    assert hidden.status_code == 404
    assert gavin.get("/api/colours/households/counts/?by=planet").status_code == 400


def test_nothing_for_checkpoint_staff(client, coloured):
    client.force_login(coloured.users["kim"])

    assert client.get(reverse("colours:street", args=[coloured.street.pk])).status_code == 403
    assert client.get(reverse("colours:zones")).status_code == 403


def test_the_households_of_one_colour_are_listed_within_scope(client, coloured, colour_types):
    # given: 赵六's household (西社区) red, and households of 东社区 green
    put_under(coloured.users["alice"], coloured.persons["zhao_liu"], colour_types["red"])
    url = reverse("colours:households")

    # when / then: the street commander lists the red one; a grid worker of grid A does not
    client.force_login(coloured.users["alice"])
    assert list(client.get(url, {"colour": "red"}).context["page"]) == [coloured.households["d"]]
    client.force_login(coloured.users["gavin"])
    green = list(client.get(url, {"colour": "green"}).context["page"])
    assert {household.grid for household in green} <= {coloured.grid_a, coloured.grid_a1}
    assert client.get(url, {"colour": "red"}).context["page"].paginator.count == 0


def test_an_unknown_colour_lists_no_household(client, coloured):
    client.force_login(coloured.users["alice"])

    response = client.get(reverse("colours:households"), {"colour": "purple"})

    assert response.status_code == 200
    assert response.context["page"].paginator.count == 0
