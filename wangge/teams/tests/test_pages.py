"""The teams pages: the hub by kind with its queue, a team and a member (other areas 404), the
public sign-up page with its thank-you page and its limit per address, and the residents'
portal sign-up for a member of one's own household only."""

import pytest
from django.test import Client
from django.urls import reverse

from wangge.residents.auth import COOKIE
from wangge.residents.services import account_for_phone, session_start
from wangge.teams.models import Member, MemberSource, MemberStatus
from wangge.teams.services import Signup, member_add, member_signup


@pytest.fixture
def carol(client, world):
    client.force_login(world.users["carol"])
    return client


def test_the_hub_shows_teams_by_kind_with_counts_and_the_queue(carol, world, teams):
    member_add(by=world.users["carol"], team=teams.east, name="陈", phone="13511112222")
    member_signup(team=teams.east, data=Signup("林晓", "13905718801"))
    page = carol.get(reverse("teams:hub")).content.decode()
    assert "东社区志愿者服务队" in page and "西社区红马甲" not in page
    assert 'class="team-badge orange"' in page
    assert "林晓" in page and "139****8801" in page and "13905718801" not in page
    assert 'data-testid="team-sections"' in page


def test_confirming_from_the_queue_and_declining_needs_a_reason(carol, world, teams):
    one, _ = member_signup(team=teams.east, data=Signup("甲", "13905718801"))
    two, _ = member_signup(team=teams.east, data=Signup("乙", "13905718802"))
    url = "teams:member_decide"
    carol.post(reverse(url, args=[one.pk]), {"decision": "confirm"})
    response = carol.post(reverse(url, args=[two.pk]), {"decision": "decline"}, follow=True)
    assert "请填写未通过的原因" in response.content.decode()
    statuses = dict(Member.objects.values_list("name", "status"))
    assert statuses == {"甲": MemberStatus.CONFIRMED, "乙": MemberStatus.PENDING}


def test_another_communitys_team_member_and_decision_are_404(carol, world, teams):
    teams.west.open_signup = True
    teams.west.save()
    pending, _ = member_signup(team=teams.west, data=Signup("甲", "13905718801"))
    assert carol.get(reverse("teams:team", args=[teams.west.pk])).status_code == 404
    assert carol.get(reverse("teams:member", args=[pending.pk])).status_code == 404
    response = carol.post(
        reverse("teams:member_decide", args=[pending.pk]), {"decision": "confirm"}
    )
    assert response.status_code == 404


def test_team_and_member_pages_show_masked_phones_skills_and_hours(carol, world, teams):
    member = member_add(
        by=world.users["carol"], team=teams.east, name="陈", phone="13511112222", skills=["medical"]
    )
    page = carol.get(reverse("teams:team", args=[teams.east.pk])).content.decode()
    assert "135****2222" in page and "医护" in page and "13511112222" not in page
    response = carol.post(
        reverse("teams:record_new", args=[member.pk]),
        {"kind": "other", "day": "2022-07-01", "hours": "2.5", "activity": "配送"},
    )
    assert response.status_code == 302
    page = carol.get(reverse("teams:member", args=[member.pk])).content.decode()
    assert "配送" in page and "2.5" in page


def test_staff_enter_a_member_by_name_and_phone_and_a_duplicate_is_shown(carol, world, teams):
    url = reverse("teams:member_new", args=[teams.east.pk])
    assert carol.post(url, {"name": "陈", "phone": "13511112222"}).status_code == 302
    again = carol.post(url, {"name": "陈二", "phone": "13511112222"})
    assert again.status_code == 422
    assert "该手机号已在本队伍" in again.content.decode()


def test_the_public_page_lists_open_teams_and_thanks_the_volunteer(client, world, teams):
    page = client.get(reverse("teams:join")).content.decode()
    assert "东社区志愿者服务队" in page and "西社区红马甲" not in page
    data = {"team": teams.east.pk, "name": "林晓", "phone": "13905718801", "skills": ["medical"]}
    response = client.post(reverse("teams:join"), data, follow=True)
    text = response.content.decode()
    assert "待确认" in text and "社区工作人员会核实并确认" in text
    assert client.post(reverse("teams:join"), data).status_code == 302
    member = Member.objects.get()
    assert (member.status, member.source, member.skills) == ("pending", "public", ["medical"])


def test_the_public_page_says_what_is_wrong(client, world, teams):
    response = client.post(
        reverse("teams:join"), {"team": teams.east.pk, "name": "林", "phone": "1"}
    )
    assert response.status_code == 422
    assert 'data-testid="error-phone"' in response.content.decode()
    closed = client.post(
        reverse("teams:join"), {"team": teams.west.pk, "name": "林", "phone": "13905718801"}
    )
    assert closed.status_code == 422
    assert Member.objects.count() == 0


def test_the_public_page_needs_csrf(world, teams):
    strict = Client(enforce_csrf_checks=True)
    data = {"team": teams.east.pk, "name": "林晓", "phone": "13905718801"}
    assert strict.post(reverse("teams:join"), data).status_code == 403


def test_sign_ups_from_one_address_are_limited(client, world, teams, settings):
    settings.WANGGE = {**settings.WANGGE, "TEAM_SIGNUPS_PER_ADDRESS_PER_MINUTE": 2}
    codes = [
        client.post(
            reverse("teams:join"),
            {"team": teams.east.pk, "name": "林", "phone": f"1390571880{i}"},
        ).status_code
        for i in range(3)
    ]
    assert codes == [302, 302, 429]
    assert Member.objects.count() == 2


def _resident(phone: str) -> Client:
    account = account_for_phone(phone=phone)
    _session, raw = session_start(account=account)
    client = Client()
    client.cookies[COOKIE] = raw
    return client


def test_a_resident_signs_up_a_household_member_and_sees_the_status(world, teams):
    resident = _resident("13800001111")
    page = resident.get(reverse("residents:volunteer")).content.decode()
    assert "东社区志愿者服务队" in page
    person = world.persons["zhang_san"]
    response = resident.post(
        reverse("residents:volunteer"),
        {"person": person.pk, "team": teams.east.pk, "skills": ["driving"]},
    )
    assert response.status_code == 302
    member = Member.objects.get()
    assert (member.person, member.source, member.phone_masked) == (
        person,
        MemberSource.RESIDENT,
        "138****1111",
    )
    assert "待确认" in resident.get(reverse("residents:volunteer")).content.decode()
    assert "报名志愿者" in resident.get(reverse("residents:home")).content.decode()


def test_a_resident_cannot_sign_up_another_households_member(world, teams):
    resident = _resident("13800001111")
    response = resident.post(
        reverse("residents:volunteer"),
        {"person": world.persons["li_si"].pk, "team": teams.east.pk},
    )
    assert response.status_code == 404
    assert Member.objects.count() == 0
