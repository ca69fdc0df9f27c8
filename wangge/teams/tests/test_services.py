"""The teams' rules: colours by kind, members entered once per phone, sign-ups PENDING and
idempotent, decisions by the community's own workers, service records with real hours."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from wangge.core.models import AuditEntry
from wangge.teams.models import Member, MemberSource, MemberStatus, ServiceRecord
from wangge.teams.services import (
    Signup,
    member_add,
    member_decide,
    member_leave,
    member_signup,
    member_update,
    service_record_add,
    team_create,
    team_update,
)


def test_the_kind_gives_the_colour_unless_one_is_chosen(world, teams):
    assert (teams.east.colour, teams.west.colour) == ("orange", "red")
    militia = team_create(
        by=world.users["carol"], community=world.east, name="民兵", kind="militia"
    )
    staff = team_create(
        by=world.users["carol"], community=world.east, name="社工", kind="staff", colour="grey"
    )
    assert (militia.colour, staff.colour) == ("green", "grey")


def test_only_a_worker_of_the_area_sets_up_a_team_and_street_teams_need_the_street(world, teams):
    with pytest.raises(PermissionDenied):
        team_create(by=world.users["carol"], community=world.west, name="X", kind="party")
    with pytest.raises(PermissionDenied):
        team_create(by=world.users["carol"], street=world.street, name="X", kind="party")
    street_team = team_create(by=world.users["alice"], street=world.street, name="X", kind="party")
    assert street_team.community is None


def test_a_phone_is_in_a_team_once(world, teams):
    # given
    carol = world.users["carol"]
    member_add(by=carol, team=teams.east, name="陈一", phone="135 1111 2222")
    # when / then
    with pytest.raises(ValidationError, match="该手机号已在本队伍"):
        member_add(by=carol, team=teams.east, name="陈二", phone="13511112222")


def test_a_person_of_the_register_brings_name_and_phone_and_must_be_in_sight(world, teams):
    member = member_add(by=world.users["carol"], team=teams.east, person=world.persons["zhang_san"])
    assert (member.name, member.phone_masked, member.status) == ("张三", "138****1111", "confirmed")
    with pytest.raises(PermissionDenied):
        member_add(by=teams.wendy, team=teams.west, person=world.persons["li_si"])
    with pytest.raises(ValidationError, match="已在本队伍"):
        member_add(by=world.users["carol"], team=teams.east, person=world.persons["zhang_san"])


def test_a_staff_user_is_entered_with_their_name(world, teams):
    member = member_add(by=world.users["carol"], team=teams.east, user=world.users["gavin"])
    assert (member.name, member.user, member.phone_masked) == ("Gavin", world.users["gavin"], "")


def test_unknown_skills_and_bad_phones_are_refused(world, teams):
    with pytest.raises(ValidationError, match="未知技能"):
        member_add(by=world.users["carol"], team=teams.east, name="甲", skills=["flying"])
    with pytest.raises(ValidationError):
        member_add(by=world.users["carol"], team=teams.east, name="甲", phone="12")


def test_signing_up_twice_with_one_phone_gives_back_the_first_sign_up(world, teams):
    # given
    data = Signup(name="林晓", phone="13905718801", skills=["driving"], availability="周末")
    first, created = member_signup(team=teams.east, data=data)
    # when
    again, created_again = member_signup(team=teams.east, data=Signup("林晓雯", "139 0571 8801"))
    # then
    assert (created, created_again, again.pk) == (True, False, first.pk)
    assert (first.status, first.source, first.skills) == ("pending", "public", ["driving"])
    assert Member.objects.filter(team=teams.east).count() == 1


def test_a_team_without_open_sign_up_takes_none(world, teams):
    with pytest.raises(ValidationError, match="暂不接受报名"):
        member_signup(team=teams.west, data=Signup("林晓", "13905718801"))


def test_one_who_left_and_signs_up_again_waits_again(world, teams):
    member = member_add(by=world.users["carol"], team=teams.east, name="陈", phone="13511112222")
    member_leave(by=world.users["carol"], member=member)
    again, created = member_signup(team=teams.east, data=Signup("陈", "13511112222"))
    assert (created, again.pk, again.status) == (False, member.pk, "pending")


def test_the_community_confirms_or_declines_with_a_reason_and_it_is_audited(world, teams):
    carol = world.users["carol"]
    one, _ = member_signup(team=teams.east, data=Signup("甲", "13905718801"))
    two, _ = member_signup(team=teams.east, data=Signup("乙", "13905718802"))
    member_decide(by=carol, member=one, confirm=True)
    with pytest.raises(ValidationError, match="请填写未通过的原因"):
        member_decide(by=carol, member=two, confirm=False)
    member_decide(by=carol, member=two, confirm=False, reason="不在本社区居住")
    one.refresh_from_db()
    two.refresh_from_db()
    assert (one.status, one.decided_by, two.status) == ("confirmed", carol, "declined")
    entry = AuditEntry.objects.get(
        target_type="teams.member", target_id=str(two.pk), action="update"
    )
    assert entry.reason == "不在本社区居住"
    with pytest.raises(ValidationError, match="已处理"):
        member_decide(by=carol, member=one, confirm=False, reason="x")


def test_a_worker_of_another_community_or_a_grid_worker_cannot_decide(world, teams):
    pending, _ = member_signup(team=teams.east, data=Signup("甲", "13905718801"))
    for name in ("gavin", "kim", "dora"):
        with pytest.raises(PermissionDenied):
            member_decide(by=world.users[name], member=pending, confirm=True)
    with pytest.raises(PermissionDenied):
        member_decide(by=teams.wendy, member=pending, confirm=True)
    assert Member.objects.get(pk=pending.pk).status == MemberStatus.PENDING


def test_service_records_need_hours_a_past_day_and_a_confirmed_member(world, teams):
    carol = world.users["carol"]
    member = member_add(by=carol, team=teams.east, name="陈", phone="13511112222")
    today = timezone.localdate()
    record = {"by": carol, "member": member, "kind": "other", "activity": "配送物资"}
    service_record_add(day=today, hours="2.5", **record)
    for hours in ("0", "-1", "25", "abc"):
        with pytest.raises(ValidationError, match="时长"):
            service_record_add(day=today, hours=hours, **record)
    with pytest.raises(ValidationError, match="不能晚于今天"):
        service_record_add(day=today + timedelta(days=1), hours=1, **record)
    pending, _ = member_signup(team=teams.east, data=Signup("乙", "13905718802"))
    with pytest.raises(ValidationError, match="尚未确认"):
        service_record_add(**{**record, "member": pending}, day=today, hours=1)
    with pytest.raises(PermissionDenied):
        service_record_add(**{**record, "by": teams.wendy}, day=date(2022, 7, 1), hours=1)
    assert member.hours_served == 2.5
    assert ServiceRecord.objects.get().hours == Decimal("2.5")


def test_a_member_leaves_and_keeps_their_records(world, teams):
    carol = world.users["carol"]
    member = member_add(by=carol, team=teams.east, name="陈", phone="13511112222")
    service_record_add(
        by=carol, member=member, kind="other", day=timezone.localdate(), hours=3, activity="值守"
    )
    member_leave(by=carol, member=member, reason="搬离")
    member.refresh_from_db()
    assert (member.status, member.hours_served, member.source) == (
        "left",
        3.0,
        MemberSource.STAFF,
    )


def test_a_team_changes_and_its_colour_follows_a_new_kind(world, teams):
    team_update(by=world.users["carol"], team=teams.east, name="东社区民兵", kind="militia")
    assert (teams.east.name, teams.east.colour) == ("东社区民兵", "green")
    with pytest.raises(PermissionDenied):
        team_update(by=teams.wendy, team=teams.east, name="X", kind="party")


def test_a_members_skills_and_availability_change_in_ones_area_only(world, teams):
    member = member_add(by=world.users["carol"], team=teams.east, name="陈", phone="13511112222")
    member_update(
        by=world.users["carol"],
        member=member,
        skills=["driving", "medical"],
        availability="周末",
        party_member=True,
    )
    assert (member.skills, member.skill_labels) == (["medical", "driving"], ["医护", "驾驶"])
    with pytest.raises(PermissionDenied):
        member_update(by=teams.wendy, member=member, skills=[], availability="", party_member=False)
