"""The duty list's rules: who may edit which list, the numbered duties, several holders, and the
party post held only by party members (or staff), with service recorded only for its holders."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from wangge.core.models import AuditEntry
from wangge.teams.models import Position, PostService, ServiceRecord
from wangge.teams.services import duties
from wangge.teams.tests.duty_fixtures import Duties, lists_fixture  # noqa: F401  (fixture)


def test_a_position_is_created_at_the_end_of_its_list_with_its_duties_numbered(lists: Duties):
    # given / when
    second = duties.position_create(
        by=lists.world.users["alice"],
        street=lists.world.street,
        data=duties.PositionData(name="社区居委会主任"),
        duties=["组织核酸检测动员", "发布通知"],
    )
    # then
    assert second.order == lists.street_post.order + 1
    assert [(d.order, d.text) for d in second.duties.all()] == [
        (1, "组织核酸检测动员"),
        (2, "发布通知"),
    ]
    assert AuditEntry.objects.filter(action="position.create").count() == 3


def test_a_community_worker_edits_their_community_list_and_not_the_street_list(lists: Duties):
    carol = lists.world.users["carol"]
    duties.duty_add(by=carol, position=lists.east_post, text="劝导外来车辆")
    with pytest.raises(PermissionDenied):
        duties.duty_add(by=carol, position=lists.street_post, text="越权")
    with pytest.raises(PermissionDenied):
        duties.duty_add(by=lists.wendy, position=lists.east_post, text="越权")
    with pytest.raises(PermissionDenied):
        duties.position_create(
            by=lists.world.users["gavin"],
            street=lists.world.street,
            community=lists.world.east,
            data=duties.PositionData(name="网格长"),
        )


def test_removing_a_duty_numbers_the_rest_again(lists: Duties):
    alice = lists.world.users["alice"]
    first = lists.street_post.duties.get(order=1)
    duties.duty_add(by=alice, position=lists.street_post, text="第三项")
    duties.duty_remove(by=alice, duty=first)
    assert [(d.order, d.text) for d in lists.street_post.duties.all()] == [
        (1, "组织每日碰头会"),
        (2, "第三项"),
    ]


def test_a_duty_is_edited_in_place_and_an_empty_text_refused(lists: Duties):
    duty = lists.east_post.duties.get()
    duties.duty_edit(by=lists.world.users["carol"], duty=duty, text="带头值守东门卡口")
    assert lists.east_post.duties.get().text == "带头值守东门卡口"
    with pytest.raises(ValidationError):
        duties.duty_edit(by=lists.world.users["carol"], duty=duty, text="  ")
    with pytest.raises(PermissionDenied):
        duties.duty_edit(by=lists.wendy, duty=duty, text="越权")


def test_reorder_must_name_every_position_of_the_list(lists: Duties):
    alice, street = lists.world.users["alice"], lists.world.street
    other = duties.position_create(by=alice, street=street, data=duties.PositionData(name="网格长"))
    duties.position_reorder(by=alice, street=street, ids=[other.pk, lists.street_post.pk])
    assert list(Position.objects.filter(community=None).values_list("name", flat=True)) == [
        "网格长",
        "社区党委书记",
    ]
    with pytest.raises(ValidationError):
        duties.position_reorder(by=alice, street=street, ids=[other.pk])


def test_a_position_has_several_holders_staff_and_members(lists: Duties):
    alice = lists.world.users["alice"]
    duties.holder_assign(by=alice, position=lists.street_post, user=lists.world.users["carol"])
    duties.holder_assign(by=alice, position=lists.street_post, member=lists.lu)
    assert lists.street_post.holders.active().count() == 2
    with pytest.raises(ValidationError):
        duties.holder_assign(by=alice, position=lists.street_post, member=lists.lu)


def test_a_party_post_refuses_a_member_who_is_not_a_party_member(lists: Duties):
    carol = lists.world.users["carol"]
    with pytest.raises(ValidationError, match="党员"):
        duties.holder_assign(by=carol, position=lists.east_post, member=lists.lu)
    duties.holder_assign(by=carol, position=lists.east_post, member=lists.pan)
    duties.holder_assign(by=carol, position=lists.east_post, user=lists.world.users["gavin"])
    assert lists.east_post.holders.active().count() == 2


def test_a_position_with_a_non_party_holder_cannot_become_a_party_post(lists: Duties):
    alice = lists.world.users["alice"]
    duties.holder_assign(by=alice, position=lists.street_post, member=lists.lu)
    with pytest.raises(ValidationError, match="党员"):
        duties.position_update(
            by=alice,
            position=lists.street_post,
            data=duties.PositionData(name="社区党委书记", is_party_post=True),
        )


def test_a_staff_user_without_a_role_in_the_street_cannot_hold_a_position(lists: Duties):
    from conftest import _staff

    stranger = _staff("stranger", None)
    with pytest.raises(ValidationError):
        duties.holder_assign(
            by=lists.world.users["alice"], position=lists.street_post, user=stranger
        )


def test_service_is_recorded_at_a_party_post_for_its_holders_only(lists: Duties):
    # given Pan holds the east gate post since yesterday
    carol = lists.world.users["carol"]
    today = timezone.localdate()
    duties.holder_assign(
        by=carol, position=lists.east_post, member=lists.pan, started=today - timedelta(days=1)
    )
    # when
    record = duties.post_service_record(
        by=carol,
        position=lists.east_post,
        member=lists.pan,
        day=today,
        hours=Decimal("4"),
        activity="东门值守",
    )
    # then
    assert record.kind == ServiceRecord.Kind.PARTY_POST
    assert PostService.objects.get(record=record).position == lists.east_post
    assert lists.pan.hours_served == 4.0
    with pytest.raises(ValidationError):  # before Pan took the post
        duties.post_service_record(
            by=carol,
            position=lists.east_post,
            member=lists.pan,
            day=today - timedelta(days=3),
            hours=Decimal("2"),
            activity="",
        )
    with pytest.raises(ValidationError):  # not a holder
        duties.post_service_record(
            by=carol,
            position=lists.east_post,
            member=lists.lu,
            day=today,
            hours=Decimal("2"),
            activity="",
        )
    with pytest.raises(ValidationError):  # more than a day
        duties.post_service_record(
            by=carol,
            position=lists.east_post,
            member=lists.pan,
            day=today,
            hours=Decimal("25"),
            activity="",
        )


def test_an_ended_holder_leaves_the_current_holders(lists: Duties):
    alice = lists.world.users["alice"]
    holder = duties.holder_assign(by=alice, position=lists.street_post, member=lists.pan)
    duties.holder_end(by=alice, holder=holder, ended=timezone.localdate())
    assert not lists.street_post.holders.active().exists()
    with pytest.raises(ValidationError):
        duties.holder_end(by=alice, holder=holder)
