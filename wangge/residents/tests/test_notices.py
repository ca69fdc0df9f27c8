"""信息发布: a notice reaches the households of its area only; opening it is one read receipt per
account; an urgent one is a notify SMS to the same area; staff publish to and count the areas
whose register they may edit."""

import pytest
from django.core.exceptions import PermissionDenied

from wangge.notify.models import Message, MessageKind, Recipient
from wangge.residents import report_selectors
from wangge.residents.models import Notice, NoticeRead
from wangge.residents.services import NoticeInput, notice_publish

pytestmark = pytest.mark.django_db


def _publish(world, user, level, area, urgent=False, title="停水通知"):
    return notice_publish(
        by=world.users[user],
        data=NoticeInput(
            level=level, area_id=area.pk, title=title, text="明日9:00-12:00停水", urgent=urgent
        ),
    )


def test_a_notice_is_seen_only_by_the_households_of_its_area(world, morning, resident_client):
    # given a notice of 第一网格 (which holds the small grid 一小格) and one of 阳光花园
    grid = _publish(world, "gavin", Notice.Level.GRID, world.grid_a)
    compound = _publish(
        world, "carol", Notice.Level.COMPOUND, world.households["b"].building.compound, title="核酸"
    )
    seen = {}
    for phone in ("13800001111", "13900002222", "13700003333", "13600004444"):
        client, _account = resident_client(phone)
        seen[phone] = {row["id"] for row in client.get("/api/my/notices/").json()}
    # then the households of grid a (and its small grid) see the grid's; the compound's all but 赵六
    assert seen["13800001111"] == seen["13900002222"] == {grid.pk, compound.pk}
    assert seen["13700003333"] == {compound.pk}
    assert seen["13600004444"] == set()
    wang_wu, _account = resident_client("13700003333")
    assert wang_wu.get(f"/my/notices/{grid.pk}/").status_code == 404
    assert wang_wu.post(f"/api/my/notices/{grid.pk}/read/").status_code == 404


def test_a_read_receipt_is_kept_once(world, morning, resident_client):
    notice = _publish(world, "alice", Notice.Level.STREET, world.street)
    client, account = resident_client("13800001111")
    page = client.get("/my/notices/").content.decode()
    assert 'data-testid="unread"' in page
    assert 'data-testid="unread-count"' in client.get("/my/").content.decode()
    assert client.get(f"/my/notices/{notice.pk}/").status_code == 200
    assert client.get(f"/my/notices/{notice.pk}/").status_code == 200
    again = client.post(f"/api/my/notices/{notice.pk}/read/")
    assert again.status_code == 200 and again.json()["created"] is False
    assert NoticeRead.objects.get().account == account
    assert 'data-testid="unread"' not in client.get("/my/notices/").content.decode()


def test_an_urgent_notice_goes_out_by_sms_to_the_same_area(world, morning):
    notice = _publish(world, "carol", Notice.Level.COMMUNITY, world.east, urgent=True)
    message = Message.objects.get()
    assert notice.message == message
    assert message.kind == MessageKind.EMERGENCY and message.channels == ["sms"]
    assert message.audience_kind == "community" and message.audience_value == "东社区"
    assert message.status != Message.Status.DRAFT
    reached = set(Recipient.objects.filter(message=message).values_list("person__name", flat=True))
    assert reached == {"张三", "李四", "王五"}
    _publish(world, "carol", Notice.Level.GRID, world.grid_b)
    assert Message.objects.count() == 1


def test_staff_publish_and_count_in_their_own_area(
    world, morning, resident_client, api_client_for, client
):
    with pytest.raises(PermissionDenied):
        _publish(world, "bella", Notice.Level.GRID, world.grid_a)
    with pytest.raises(PermissionDenied):
        _publish(world, "dora", Notice.Level.COMMUNITY, world.west)
    sunny, river = world.households["a"].building.compound, world.households["d"].building.compound
    offered = dict(report_selectors.publishable_areas(world.users["carol"]))
    assert f"compound:{sunny.pk}" in offered and f"compound:{river.pk}" not in offered
    offered = dict(report_selectors.publishable_areas(world.users["gavin"]))
    assert f"grid:{world.grid_a.pk}" in offered and f"compound:{sunny.pk}" not in offered
    assert f"community:{world.east.pk}" not in offered
    notice = _publish(world, "gavin", Notice.Level.GRID, world.grid_a)
    zhang, _account = resident_client("13800001111")
    zhang.post(f"/api/my/notices/{notice.pk}/read/")
    reach = report_selectors.notice_reach(notice, world.users["carol"])
    assert (reach.reads, reach.households, reach.reached, reach.share) == (1, 2, 1, 50.0)
    unread = report_selectors.households_unread(notice, world.users["carol"])
    assert list(unread) == [world.households["a1"]]
    bella = api_client_for(world.users["bella"])
    assert bella.get("/api/residents/notices/").json()["results"] == []
    assert bella.get(f"/api/residents/notices/{notice.pk}/unread/").status_code == 404
    carol = api_client_for(world.users["carol"])
    row = carol.get(f"/api/residents/notices/{notice.pk}/").json()
    assert (row["reads"], row["households_read"], row["share"]) == (1, 1, 50.0)
    assert carol.get(f"/api/residents/notices/{notice.pk}/unread/").json()["count"] == 1
    made = carol.post(
        "/api/residents/notices/",
        {"level": "community", "area": world.west.pk, "title": "x", "text": "y"},
        format="json",
    )
    assert made.status_code == 403
    made = carol.post(
        "/api/residents/notices/",
        {
            "level": "compound",
            "area": world.households["a"].building.compound_id,
            "title": "核酸",
            "text": "今天",
        },
        format="json",
    )
    assert made.status_code == 201, made.content
    client.force_login(world.users["carol"])
    assert "核酸" in client.get("/residents/notices/").content.decode()
    assert client.get(f"/residents/notices/{notice.pk}/").status_code == 200
    form = client.post(
        "/residents/notices/new/",
        {"area": f"grid:{world.grid_b.pk}", "title": "", "text": "z"},
    )
    assert form.status_code == 422
