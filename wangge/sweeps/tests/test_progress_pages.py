"""The progress pages and API: what each user sees is counted over their own grids; a campaign,
grid or building outside them is not found."""

import pytest

from wangge.sweeps.tests.sweep_world import sweep_of


@pytest.fixture
def sweep(world):
    return sweep_of(world)


def test_the_commander_sees_the_campaign_per_community_and_grid(client, world, sweep):
    client.force_login(world.users["alice"])

    page = client.get(f"/sweeps/{sweep.campaign.pk}/").content.decode()

    assert 'data-testid="community-row"' in page and "西社区" in page
    assert page.count('data-testid="grid-row"') == 4
    assert 'data-field="persons">4<' in page
    assert ">行程<" in page and ">疫苗接种<" in page and ">travel<" not in page


def test_a_grid_worker_sees_their_grid_only(client, world, sweep):
    client.force_login(world.users["bella"])
    campaign = sweep.campaign.pk

    page = client.get(f"/sweeps/{campaign}/").content.decode()

    assert page.count('data-testid="grid-row"') == 1 and "东社区·第一网格" not in page
    assert 'data-testid="community-row"' not in page
    assert client.get(f"/sweeps/{campaign}/grids/{world.grid_a.pk}/").status_code == 404
    building_a = sweep.visits["a"].building_id
    assert client.get(f"/sweeps/{campaign}/buildings/{building_a}/").status_code == 404


def test_a_campaign_outside_the_users_grids_is_not_found(client, world, sweep):
    sweep.campaign.grids.set([world.grid_d])
    client.force_login(world.users["bella"])

    assert client.get(f"/sweeps/{sweep.campaign.pk}/").status_code == 404


def test_the_grid_lists_its_buildings_and_the_map_its_rooms(client, world, sweep):
    client.force_login(world.users["gavin"])
    campaign, building = sweep.campaign.pk, sweep.visits["a"].building_id

    grid = client.get(f"/sweeps/{campaign}/grids/{world.grid_a.pk}/").content.decode()
    plan = client.get(f"/sweeps/{campaign}/buildings/{building}/").content.decode()

    assert f"/sweeps/{campaign}/buildings/{building}/" in grid
    assert plan.count('data-testid="door"') == 4
    assert 'data-status="refused"' in plan and 'data-status="proxy"' in plan


def test_the_progress_api_counts_the_callers_grids(api_client_for, world, sweep):
    url = f"/api/sweeps/progress/{sweep.campaign.pk}/"

    street = api_client_for(world.users["alice"]).get(url).json()
    grid_b = api_client_for(world.users["bella"]).get(url).json()
    only_a = api_client_for(world.users["gavin"]).get(f"{url}?grid={world.grid_a.pk}").json()

    assert (street["total"]["total"], street["total"]["persons"]) == (7, 4)
    assert len(street["buildings"]) == 4
    assert [row["name"] for row in grid_b["grids"]] == ["东社区·第二网格"]
    assert grid_b["total"]["moved"] == grid_b["total"]["total"] == 1
    assert [row["name"] for row in only_a["buildings"]] == ["阳光花园1幢"]


def test_the_progress_api_refuses_bad_input_and_other_areas(api_client_for, world, sweep):
    sweep.campaign.grids.set([world.grid_d])
    bella = api_client_for(world.users["bella"])

    assert bella.get(f"/api/sweeps/progress/{sweep.campaign.pk}/").status_code == 404
    admin = api_client_for(world.users["alice"])
    assert admin.get(f"/api/sweeps/progress/{sweep.campaign.pk}/?grid=x").status_code == 400
