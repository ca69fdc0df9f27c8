"""/api/teams/: teams and members in the caller's area only (another's is 404), phones masked,
members entered and sign-ups confirmed or declined through the services."""

from django.urls import reverse

from wangge.teams.models import Member
from wangge.teams.services import Signup, member_add, member_signup


def test_lists_are_scoped_and_phones_masked(api_client_for, world, teams):
    member_add(by=world.users["carol"], team=teams.east, name="陈", phone="13511112222")
    member_add(by=teams.wendy, team=teams.west, name="赵", phone="13611112222")
    carol = api_client_for(world.users["carol"])
    names = [row["name"] for row in carol.get(reverse("team-list")).json()["results"]]
    assert names == ["东社区志愿者服务队"]
    rows = carol.get(reverse("team-member-list")).json()["results"]
    assert [(r["name"], r["phone_masked"]) for r in rows] == [("陈", "135****2222")]
    assert "13511112222" not in str(rows)
    assert carol.get(reverse("team-detail", args=[teams.west.pk])).status_code == 404


def test_members_filter_by_team_and_status(api_client_for, world, teams):
    member_add(by=world.users["carol"], team=teams.east, name="陈", phone="13511112222")
    member_signup(team=teams.east, data=Signup("林", "13905718801"))
    carol = api_client_for(world.users["carol"])
    url = reverse("team-member-list")
    pending = carol.get(url, {"team": teams.east.pk, "status": "pending"}).json()["results"]
    assert [r["name"] for r in pending] == ["林"]
    assert carol.get(url, {"status": "bogus"}).status_code == 400


def test_create_a_team_and_a_member_and_refuse_another_area(api_client_for, world, teams):
    carol = api_client_for(world.users["carol"])
    created = carol.post(
        reverse("team-list"),
        {"name": "绿迷彩", "kind": "militia", "community": world.east.pk},
        format="json",
    )
    assert (created.status_code, created.json()["colour"]) == (201, "green")
    other = carol.post(
        reverse("team-list"),
        {"name": "X", "kind": "party", "community": world.west.pk},
        format="json",
    )
    assert other.status_code == 400
    member = carol.post(
        reverse("team-member-list"),
        {"team": created.json()["id"], "name": "陈", "phone": "13511112222", "skills": ["order"]},
        format="json",
    )
    assert (member.status_code, member.json()["status"]) == (201, "confirmed")
    twice = carol.post(
        reverse("team-member-list"),
        {"team": created.json()["id"], "name": "陈二", "phone": "13511112222"},
        format="json",
    )
    assert twice.status_code == 400
    west = carol.post(
        reverse("team-member-list"), {"team": teams.west.pk, "name": "x"}, format="json"
    )
    assert west.status_code == 400


def test_confirm_and_decline_in_ones_area_only(api_client_for, world, teams):
    one, _ = member_signup(team=teams.east, data=Signup("甲", "13905718801"))
    two, _ = member_signup(team=teams.east, data=Signup("乙", "13905718802"))
    wendy = api_client_for(teams.wendy)
    assert wendy.post(reverse("team-member-confirm", args=[one.pk])).status_code == 404
    carol = api_client_for(world.users["carol"])
    assert carol.post(reverse("team-member-confirm", args=[one.pk])).json()["status"] == "confirmed"
    assert carol.post(reverse("team-member-decline", args=[two.pk]), {}).status_code == 400
    declined = carol.post(reverse("team-member-decline", args=[two.pk]), {"reason": "重复"})
    assert declined.json()["status"] == "declined"
    assert dict(Member.objects.values_list("name", "status")) == {
        "甲": "confirmed",
        "乙": "declined",
    }
