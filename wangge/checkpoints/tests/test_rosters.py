"""Duty rosters: shifts covering the hours, people on them, clocking on and off with the checkpoint's
code, gaps, the day-before notice (once), and the .xlsx export."""

from datetime import time, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from openpyxl import load_workbook

from wangge.accounts.models import User
from wangge.checkpoints import tokens
from wangge.checkpoints.exports import roster_export
from wangge.checkpoints.models import RosterGapNotice, Shift, ShiftNote
from wangge.checkpoints.selectors import gap_shifts, roster_week, unrostered_checkpoints
from wangge.checkpoints.services import (
    CheckpointData,
    checkpoint_create,
    roster_gap_notices,
    shift_assign,
    shift_clock,
    shift_note_add,
    shifts_plan,
    volunteer_clock,
)
from wangge.core.exports import result_path
from wangge.core.jobs.models import Job
from wangge.core.models import Alert, AuditEntry
from wangge.teams.models import ServiceRecord
from wangge.teams.selectors import rosterable_members
from wangge.teams.services import Signup, member_add, member_signup, team_create

from .conftest import DAY, at


def plan(world, checkpoint, days=1, start=DAY) -> list[Shift]:
    shifts_plan(by=world.users["carol"], checkpoint=checkpoint, start=start, days=days)
    return list(Shift.objects.filter(checkpoint=checkpoint).order_by("starts_at"))


def test_shifts_cover_the_whole_day(world, gate):
    shifts = plan(world, gate)
    assert [(s.starts_at, s.ends_at) for s in shifts] == [
        (at(DAY, 0), at(DAY, 8)),
        (at(DAY, 8), at(DAY, 16)),
        (at(DAY, 16), at(DAY + timedelta(days=1), 0)),
    ]
    assert {s.needed for s in shifts} == {2}
    assert roster_week(gate, DAY, days=1)[0].uncovered == []


def test_planning_again_keeps_the_shifts_there_are(world, gate):
    plan(world, gate, days=2)
    assert shifts_plan(by=world.users["carol"], checkpoint=gate, start=DAY, days=3) == 3
    assert Shift.objects.filter(checkpoint=gate).count() == 9


def test_a_checkpoint_open_by_day_gets_shifts_in_its_hours_and_shows_the_uncovered_ones(world):
    market = checkpoint_create(
        by=world.users["carol"],
        data=CheckpointData(
            name="菜场服务点",
            kind="service_point",
            community=world.east,
            address="东街1号",
            opens_at=time(7),
            closes_at=time(19),
            shift_hours=6,
        ),
    )
    shifts = plan(world, market)
    assert [(s.starts_at, s.ends_at) for s in shifts] == [
        (at(DAY, 7), at(DAY, 13)),
        (at(DAY, 13), at(DAY, 19)),
    ]
    shifts[1].delete()
    assert roster_week(market, DAY, days=1)[0].uncovered == [(at(DAY, 13), at(DAY, 19))]


def test_only_staff_of_the_area_plan_shifts(world, gate):
    with pytest.raises(PermissionDenied):
        shifts_plan(by=world.users["kim"], checkpoint=gate, start=DAY, days=1)
    with pytest.raises(PermissionDenied):
        shifts_plan(by=world.users["dora"], checkpoint=gate, start=DAY, days=1)


def test_staff_and_volunteers_are_rostered_but_nobody_stands_in_two_places(world, gate):
    morning, day, _ = plan(world, gate)
    kim = world.users["kim"]
    team = team_create(
        by=world.users["carol"], community=world.east, name="志愿队", kind="volunteer"
    )
    volunteer = member_add(by=world.users["carol"], team=team, name="陈志愿", phone="13511112222")
    shift_assign(by=world.users["carol"], shift=morning, user=kim)
    shift_assign(by=world.users["carol"], shift=morning, volunteer=volunteer)
    with pytest.raises(ValidationError, match="已在该班次"):
        shift_assign(by=world.users["carol"], shift=morning, user=kim)
    # another checkpoint at the same hours
    other = checkpoint_create(
        by=world.users["carol"],
        data=CheckpointData(
            name="北门", kind="compound_gate", community=world.east, address="北门"
        ),
    )
    (other_morning, *_) = plan(world, other)
    with pytest.raises(ValidationError, match="同一时段"):
        shift_assign(by=world.users["carol"], shift=other_morning, user=kim)
    # but the next shift is fine
    shift_assign(by=world.users["carol"], shift=day, user=kim)
    assert volunteer.phone_masked == "135****2222"


def test_staff_of_another_community_cannot_be_rostered(world, gate):
    morning, *_ = plan(world, gate)
    with pytest.raises(ValidationError, match="不在本社区"):
        shift_assign(by=world.users["carol"], shift=morning, user=world.users["dora"])


def test_clocking_on_and_off_by_scanning_the_checkpoints_code(world, gate, clock):
    _, day, _ = plan(world, gate)
    shift_assign(by=world.users["carol"], shift=day, user=world.users["kim"])
    code = tokens.payload(tokens.CHECKPOINT, gate.code_sealed)
    # 07:40: twenty minutes early is allowed
    clock.move_to(at(DAY, 7, 40))
    assignment, action = shift_clock(by=world.users["kim"], code=code)
    assert (action, assignment.clocked_on_at) == ("on", at(DAY, 7, 40))
    clock.move_to(at(DAY, 16, 5))
    assignment, action = shift_clock(by=world.users["kim"], code=code)
    assert (action, assignment.clocked_off_at) == ("off", at(DAY, 16, 5))
    assert AuditEntry.objects.filter(target_type="checkpoints.shiftassignment").count() == 3


def test_clocking_on_needs_a_place_on_the_shift_and_the_real_code(world, gate, clock):
    plan(world, gate)
    code = tokens.payload(tokens.CHECKPOINT, gate.code_sealed)
    with pytest.raises(ValidationError, match="排班"):
        shift_clock(by=world.users["kim"], code=code)
    with pytest.raises(ValidationError, match="卡点值守码"):
        shift_clock(by=world.users["kim"], code="WGC:not-a-real-code")


def test_handover_notes_are_written_by_whoever_mans_the_checkpoint(world, gate, clock):
    morning, *_ = plan(world, gate)
    # Kim, checkpoint staff of the street but on no shift here, may not
    with pytest.raises(PermissionDenied):
        shift_note_add(by=world.users["kim"], shift=morning, text="x")
    shift_assign(by=world.users["carol"], shift=morning, user=world.users["kim"])
    kim = User.objects.get(pk=world.users["kim"].pk)  # a new request
    shift_note_add(by=kim, shift=morning, text="东门铁马已加固")
    assert ShiftNote.objects.get().text == "东门铁马已加固"
    with pytest.raises(PermissionDenied):
        shift_note_add(by=world.users["dora"], shift=morning, text="x")


def test_gaps_are_the_shifts_short_of_people(world, gate):
    morning, day, evening = plan(world, gate)
    for shift in (morning, day):
        for name in ("kim", "gavin"):
            shift_assign(by=world.users["carol"], shift=shift, user=world.users[name])
    assert list(gap_shifts(world.users["carol"], DAY)) == [evening]
    assert list(gap_shifts(world.users["dora"], DAY)) == []


def test_the_day_before_the_community_hears_of_gaps_once(world, gate, clock):
    plan(world, gate, start=DAY + timedelta(days=1))
    northern = checkpoint_create(
        by=world.users["carol"],
        data=CheckpointData(
            name="北门", kind="compound_gate", community=world.east, address="北门"
        ),
    )
    # before 16:00 nothing is sent
    assert roster_gap_notices()["communities"] == 0
    clock.move_to(at(DAY, 16, 15))
    assert roster_gap_notices() == {"communities": 1, "shifts": 3}
    alert = Alert.objects.get(kind="roster_gap")
    assert alert.recipient == world.users["carol"]
    assert "3个班次缺员" in alert.text and "1个卡点未排班" in alert.text
    assert northern in unrostered_checkpoints(world.users["carol"], DAY + timedelta(days=1))
    # a second run the same day sends nothing more
    clock.move_to(at(DAY, 16, 30))
    assert roster_gap_notices()["communities"] == 0
    assert Alert.objects.filter(kind="roster_gap").count() == 1
    assert RosterGapNotice.objects.get().shifts == 4


def test_the_roster_exports_to_xlsx_as_a_job_watermarked_and_audited_with_its_purpose(
    world, gate, clock
):
    morning, *_ = plan(world, gate)
    shift_assign(by=world.users["carol"], shift=morning, user=world.users["kim"])
    shift_note_add(by=world.users["kim"], shift=morning, text="交接：对讲机电量低")
    job = roster_export(by=world.users["carol"], checkpoint=gate, first=DAY, reason="screening")
    assert job.status == Job.Status.DONE and job.owner == world.users["carol"]
    sheet = load_workbook(result_path(job)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert "导出人：carol" in rows[0][0] and "疫情防控排查" in rows[0][0]
    assert rows[2][:5] == ("日期", "班次", "所需人数", "已排人数", "人员")
    assert rows[3][:5] == ("2022-07-01", "00:00-08:00", 2, 1, "Kim")
    assert "对讲机电量低" in rows[3][7]
    entry = AuditEntry.objects.get(action="export", target_id=str(job.pk))
    assert entry.reason == "疫情防控排查" and entry.changes["checkpoint"] == gate.pk


def test_the_roster_of_a_checkpoint_outside_the_area_is_not_exported(world, gate, clock):
    with pytest.raises(PermissionDenied):
        roster_export(by=world.users["dora"], checkpoint=gate, first=DAY, reason="screening")
    assert not Job.objects.exists()


def test_only_confirmed_members_of_the_communitys_and_the_streets_teams_are_rostered(world, gate):
    # given
    carol, alice = world.users["carol"], world.users["alice"]
    morning, *_ = plan(world, gate)
    east = team_create(
        by=carol, community=world.east, name="东队", kind="volunteer", open_signup=True
    )
    west = team_create(by=alice, community=world.west, name="西队", kind="volunteer")
    street = team_create(by=alice, street=world.street, name="街道民兵", kind="militia")
    pending, _ = member_signup(team=east, data=Signup("待定", "13905718801"))
    west_member = member_add(by=alice, team=west, name="西", phone="13905718802")
    street_member = member_add(by=alice, team=street, name="民兵", phone="13905718803")
    # when / then
    for refused in (pending, west_member):
        with pytest.raises(ValidationError, match="不是本社区已确认的队员"):
            shift_assign(by=carol, shift=morning, volunteer=refused)
    assert shift_assign(by=carol, shift=morning, volunteer=street_member).volunteer == street_member
    assert set(rosterable_members(gate.community)) == {street_member}


def test_clocking_a_volunteer_off_records_the_hours_once(world, gate, clock):
    carol = world.users["carol"]
    _, day, _ = plan(world, gate)
    team = team_create(by=carol, community=world.east, name="东队", kind="volunteer")
    volunteer = member_add(by=carol, team=team, name="陈", phone="13511112222")
    assignment = shift_assign(by=carol, shift=day, volunteer=volunteer)
    clock.move_to(at(DAY, 8, 5))
    assert volunteer_clock(by=carol, assignment=assignment) == "on"
    clock.move_to(at(DAY, 15, 50))
    assert volunteer_clock(by=carol, assignment=assignment) == "off"
    with pytest.raises(ValidationError, match="已离岗"):
        volunteer_clock(by=carol, assignment=assignment)
    record = ServiceRecord.objects.get()
    assert (record.kind, record.source_id, record.hours) == ("shift", assignment.pk, Decimal("8"))
    assert record.day == DAY and volunteer.hours_served == 8.0


def test_staff_clocking_off_count_for_their_team_membership(world, gate, clock):
    carol = world.users["carol"]
    _, day, _ = plan(world, gate)
    team = team_create(by=carol, community=world.east, name="蓝衣领", kind="staff")
    member = member_add(by=carol, team=team, user=world.users["kim"])
    shift_assign(by=carol, shift=day, user=world.users["kim"])
    code = tokens.payload(tokens.CHECKPOINT, gate.code_sealed)
    clock.move_to(at(DAY, 8))
    shift_clock(by=world.users["kim"], code=code)
    clock.move_to(at(DAY, 12, 20))
    shift_clock(by=world.users["kim"], code=code)
    assert ServiceRecord.objects.get(member=member).hours == Decimal("4.5")
