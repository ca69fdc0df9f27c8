"""扫楼人员: the page lists who sweeps what, and the community's worker assigns a grid worker to a
building of the campaign; a grid worker of another grid cannot assign there."""

from django.test import Client

from wangge.people.models import Assignment, Duty


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_community_worker_assigns_a_sweeper_to_a_building(world, campaign):
    building = world.households["b"].building
    url = f"/sweeps/{campaign.pk}/sweepers/"
    carol = _client(world.users["carol"])
    answer = carol.post(url, {"sweeper": world.users["bella"].pk, "buildings": [building.pk]})
    assert answer.status_code == 302
    row = Assignment.objects.get(source_id=campaign.pk, holder_user=world.users["bella"])
    assert (row.building, row.duty, row.source) == (building, Duty.SWEEPER, "sweep")
    page = carol.get(url).content.decode()
    assert "Bella" in page and f"{building.compound.name}{building.name}" in page


def test_nothing_is_assigned_without_a_target_or_outside_ones_grids(world, campaign):
    url = f"/sweeps/{campaign.pk}/sweepers/"
    carol = _client(world.users["carol"])
    answer = carol.post(url, {"sweeper": world.users["bella"].pk})
    assert answer.status_code == 422 and "请选择网格或楼栋" in answer.content.decode()
    gavin = _client(world.users["gavin"])
    refused = gavin.post(url, {"sweeper": world.users["gavin"].pk, "grids": [world.grid_b.pk]})
    assert refused.status_code == 422
    assert not Assignment.objects.filter(source=Assignment.Source.SWEEP).exists()


def test_a_volunteers_account_without_a_role_may_be_made_a_sweeper(world, campaign):
    from wangge.accounts.models import User
    from wangge.teams.tests.call_fixtures import member, team

    volunteer = User.objects.create_user(username="vera", password="x", full_name="Vera")
    member(team(world.street, world.east), "Vera", "13811110009", user=volunteer)
    page = _client(world.users["carol"]).get(f"/sweeps/{campaign.pk}/sweepers/")
    assert volunteer in page.context["form"].fields["sweeper"].queryset
