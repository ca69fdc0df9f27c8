"""召集令 pages: the list and a call's page for the community, another community's call as 404,
a new call with its posts, assignment from the page, and the public answer page (GET shows,
POST answers)."""

from datetime import timedelta

import pytest
from django.test import Client

from tests.test_no_inline_script import offences
from wangge.teams.call_links import answer_path, invite_token
from wangge.teams.models import Answer, Call
from wangge.teams.services.calls import call_answer, call_send
from wangge.teams.tests.call_fixtures import NOW, make_call

pytestmark = pytest.mark.usefixtures("clock")

LOCAL = "%Y-%m-%dT%H:%M"


@pytest.fixture
def east_call(world, crew):
    call = make_call(world.users["carol"], world.street, world.east, [crew.east])
    call_send(by=world.users["carol"], call=call)
    return call


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_list_and_the_call_page_show_answers_and_fill(world, crew, east_call):
    invite = east_call.invites.get(member=crew.medic)
    call_answer(token=invite_token(east_call.pk, crew.medic.pk), answer=Answer.ACCEPTED)
    client = _client(world.users["carol"])
    listing = client.get("/teams/calls/")
    assert "卡点值守召集令" in listing.content.decode()
    page = client.get(f"/teams/calls/{east_call.pk}/")
    html = page.content.decode()
    assert page.status_code == 200 and not offences(html)
    assert "钱医" in html and "138****0001" in html and "接受" in html
    assert f"/teams/calls/{east_call.pk}/invites/{invite.pk}/post/" in html


def test_another_communitys_call_is_not_found(world, crew):
    west_call = make_call(world.users["alice"], world.street, world.west, [crew.west])
    assert _client(world.users["carol"]).get(f"/teams/calls/{west_call.pk}/").status_code == 404
    assert _client(world.users["alice"]).get(f"/teams/calls/{west_call.pk}/").status_code == 200


def test_a_street_wide_call_is_read_in_each_community_through_its_own_members(world, crew):
    call = make_call(world.users["alice"], world.street, None, [crew.east, crew.west])
    call_send(by=world.users["alice"], call=call)
    page = _client(world.users["carol"]).get(f"/teams/calls/{call.pk}/").content.decode()
    assert crew.medic.name in page and crew.far.name not in page
    everything = _client(world.users["alice"]).get(f"/teams/calls/{call.pk}/").content.decode()
    assert crew.medic.name in everything and crew.far.name in everything
    assert _client(world.users["carol"]).post(f"/teams/calls/{call.pk}/close/").status_code == 404


def test_a_call_is_made_and_sent_from_the_form(world, crew):
    start = NOW + timedelta(days=1)
    data = {
        "kind": "muster",
        "title": "核酸采样秩序维护",
        "text": "明早全员核酸，需要秩序维护志愿者",
        "area": f"c{world.east.pk}",
        "teams": [crew.east.pk],
        "deadline": (NOW + timedelta(hours=6)).strftime(LOCAL),
        "send_now": "on",
        "posts-TOTAL_FORMS": "2",
        "posts-INITIAL_FORMS": "0",
        "posts-MIN_NUM_FORMS": "1",
        "posts-MAX_NUM_FORMS": "30",
        "posts-0-name": "核酸采样秩序",
        "posts-0-place": "东社区广场",
        "posts-0-starts_at": start.strftime(LOCAL),
        "posts-0-ends_at": (start + timedelta(hours=3)).strftime(LOCAL),
        "posts-0-needed": "4",
    }
    response = _client(world.users["carol"]).post("/teams/calls/new/", data)
    call = Call.objects.get(title="核酸采样秩序维护")
    assert response.status_code == 302
    assert call.posts.count() == 1 and call.invites.count() == 2
    assert call.message is not None


def test_the_page_puts_an_accepted_member_on_a_post(world, crew, east_call):
    invite = east_call.invites.get(member=crew.medic)
    call_answer(token=invite_token(east_call.pk, crew.medic.pk), answer=Answer.ACCEPTED)
    post = east_call.posts.first()
    url = f"/teams/calls/{east_call.pk}/invites/{invite.pk}/post/"
    _client(world.users["carol"]).post(url, {"post": post.pk})
    invite.refresh_from_db()
    assert invite.post == post
    assert _client(world.users["gavin"]).post(url, {"post": ""}).status_code == 404


def test_the_answer_page_shows_the_call_and_only_its_buttons_answer(crew, east_call):
    path = answer_path(invite_token(east_call.pk, crew.medic.pk))
    client = Client()
    page = client.get(path)
    html = page.content.decode()
    assert page.status_code == 200 and not offences(html)
    assert "岗位0" in html and "阳光花园东门" in html and "我能参加" in html
    assert east_call.invites.get(member=crew.medic).answer == Answer.PENDING
    client.post(path, {"answer": "accepted"})
    assert east_call.invites.get(member=crew.medic).answer == Answer.ACCEPTED
    assert Client().get("/teams/calls/answer/nothing-here/").status_code == 404


def test_the_answer_page_says_when_the_call_is_past_its_deadline(crew, east_call, clock):
    path = answer_path(invite_token(east_call.pk, crew.medic.pk))
    clock.shift(timedelta(hours=13))
    page = Client().post(path, {"answer": "accepted"})
    assert page.status_code == 400
    assert "已过响应截止时间" in page.content.decode()
