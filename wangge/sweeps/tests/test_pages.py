"""The sweep pages: who sees which campaign, building and form; a campaign made from the page."""

from django.urls import reverse

from wangge.sweeps.models import Campaign, CampaignStatus


def signed_in(client, user):
    client.force_login(user)
    return client


def test_a_grid_worker_sees_the_campaign_and_their_buildings_only(world, campaign, client):
    signed_in(client, world.users["gavin"])
    assert "七月扫楼" in client.get(reverse("sweeps:index")).content.decode()
    page = client.get(reverse("sweeps:go", args=[campaign.pk])).content.decode()
    assert "1幢" in page and "2幢" in page and "3幢" not in page
    theirs = world.households["b"].building_id
    assert client.get(reverse("sweeps:building", args=[campaign.pk, theirs])).status_code == 404


def test_the_building_page_carries_the_form_with_the_households_members(world, campaign, client):
    signed_in(client, world.users["gavin"])
    building = world.households["a"].building_id
    page = client.get(reverse("sweeps:building", args=[campaign.pk, building])).content.decode()
    zhang = world.persons["zhang_san"].pk
    assert f'name="vaccination.doses|{zhang}"' in page and "张三" in page
    assert 'data-testid="result-proxy"' not in page


def test_someone_outside_the_street_gets_404(world, campaign, client):
    signed_in(client, world.users["dora"])
    assert client.get(reverse("sweeps:go", args=[campaign.pk])).status_code == 404


def test_a_community_worker_creates_a_campaign_from_the_page(world, clock, client):
    signed_in(client, world.users["carol"])
    answer = client.post(
        reverse("sweeps:new"),
        {
            "name": "出租房排查",
            "grids": [world.grid_b.pk],
            "checks": ["rental"],
            "deadline": "2022-07-09T18:00",
        },
    )
    assert answer.status_code == 302
    made = Campaign.objects.get(name="出租房排查")
    assert made.status == CampaignStatus.DRAFT and made.checks == ["rental"]
    client.post(reverse("sweeps:start", args=[made.pk]))
    made.refresh_from_db()
    assert made.status == CampaignStatus.RUNNING


def test_a_grid_worker_may_not_open_the_new_campaign_page(world, client):
    signed_in(client, world.users["gavin"])
    assert client.get(reverse("sweeps:new")).status_code == 403
