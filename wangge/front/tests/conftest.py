"""A hand-built 2022-07-01 on top of the `world` personas, frozen at 07:30 in Shanghai (when the
command centre opens its home page), and Cora, who commands 东社区 only.

What the street holds that morning (东社区: households a, a1, b; 西社区: household d):
- colours: a turned red at 06:00 today (white before); b turned orange yesterday; d turned yellow
  on 06-28; a1 stays white.
- measures: 张三 (a) active 06-25 → 07-02; 王五 (b) and 赵六 (d) active until today (07-01);
  李四 (a1) released on 06-27 after 06-20 → 06-27.
- check-ins today: 张三's 05:00 slot still open (past the 120-minute grace), his 07:00 slot open
  (within grace), 王五's 07:00 slot and 赵六's 06:00 slot missed; 张三 missed a slot yesterday.
  Flagged check-ins: 张三 yesterday 09:00 and 赵六 today 07:00 (both within 24 h), 王五 on 06-29
  (older); an unflagged one of 张三 today.
- a street-wide test round today 06:00-22:00: 张三 and 赵六 tested negative.
- scans today at 阳光花园东门 (东社区): 06 h two in, one out; 07 h one out denied; at 江景苑南门
  (西社区) 07 h one in; one scan at 东门 yesterday.
- tasks issued at 07:00 to grid A and grid D (acknowledgement due within a minute: late), and at
  07:29:30 to grid B (not yet late).
- events: one open in grid A (today), one being handled in grid D (06-30).
"""

import uuid
from collections.abc import Iterator
from datetime import date, datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
import time_machine

from conftest import _staff, drill_home_isolation
from wangge.core.roles import Role

SHANGHAI = ZoneInfo("Asia/Shanghai")
TODAY = date(2022, 7, 1)


def at(month: int, day: int, hour: int, minute: int = 0, second: int = 0) -> datetime:
    return datetime(2022, month, day, hour, minute, second, tzinfo=SHANGHAI)


@pytest.fixture
def clock() -> Iterator[time_machine.Traveller]:
    with time_machine.travel(at(7, 1, 7, 30), tick=False) as traveller:
        yield traveller


def _colours(world) -> None:
    from wangge.regions.models import Household, HouseholdColourChange

    history = {
        "a": [(at(7, 1, 6), "white", "red")],
        "b": [(at(6, 30, 10), "white", "orange")],
        "d": [(at(6, 28, 9), "white", "yellow")],
    }
    for key, changes in history.items():
        household = world.households[key]
        for when, old, new in changes:
            HouseholdColourChange.objects.create(
                household=household, at=when, old=old, new=new, reason="measure"
            )
        Household.objects.filter(pk=household.pk).update(colour=changes[-1][2])


def _measures(world) -> dict:
    from wangge.measures.models import PersonMeasure

    home = drill_home_isolation(test_days=[1], checkin_times=["07:00"])
    rows = {
        "zhang_san": (date(2022, 6, 25), date(2022, 7, 2), {}),
        "wang_wu": (date(2022, 6, 24), TODAY, {}),
        "zhao_liu": (date(2022, 6, 24), TODAY, {}),
        "li_si": (
            date(2022, 6, 20),
            date(2022, 6, 27),
            {"status": "released", "ended_on": date(2022, 6, 27), "ended_at": at(6, 27, 9)},
        ),
    }
    return {
        key: PersonMeasure.objects.create(
            person=world.persons[key],
            measure_type=home,
            start=start,
            end=end,
            reason="密接",
            **extra,
        )
        for key, (start, end, extra) in rows.items()
    }


def _checkins(measures: dict) -> None:
    from wangge.measures.models import CheckIn, CheckInSlot

    for key, when, status in [
        ("zhang_san", at(7, 1, 5), "open"),
        ("zhang_san", at(7, 1, 7), "open"),
        ("wang_wu", at(7, 1, 7), "missed"),
        ("zhao_liu", at(7, 1, 6), "missed"),
        ("zhang_san", at(6, 30, 16), "missed"),
    ]:
        CheckInSlot.objects.create(measure=measures[key], due_at=when, status=status)
    for key, when, flagged in [
        ("zhang_san", at(6, 30, 9), True),
        ("zhao_liu", at(7, 1, 7), True),
        ("wang_wu", at(6, 29, 20), True),
        ("zhang_san", at(7, 1, 7, 5), False),
    ]:
        CheckIn.objects.create(
            measure=measures[key],
            client_id=uuid.uuid4().hex,
            temperature="38.2" if flagged else "36.5",
            flagged=flagged,
            source="team",
            at=when,
        )


def _testing(world) -> object:
    from wangge.testing.models import LabResult
    from wangge.testing.services import round_create

    round = round_create(
        by=world.users["alice"],
        street=world.street,
        name="七月一日全员核酸",
        scope="street",
        communities=[],
        grids=[],
        starts_at=at(7, 1, 6),
        ends_at=at(7, 1, 22),
    )
    for key in ("zhang_san", "zhao_liu"):
        LabResult.objects.create(
            round=round,
            person=world.persons[key],
            street=world.street,
            sampled_at=at(7, 1, 6, 30),
            result="negative",
            created_at=at(7, 1, 7),
        )
    return round


def _scans(world) -> None:
    from wangge.checkpoints.models import Checkpoint, Scan
    from wangge.checkpoints.services import CheckpointData, checkpoint_create

    east_gate = checkpoint_create(
        by=world.users["alice"],
        data=CheckpointData(
            name="阳光花园东门",
            kind=Checkpoint.Kind.COMPOUND_GATE,
            community=world.east,
            compound=world.households["a"].building.compound,
        ),
    )
    west_gate = checkpoint_create(
        by=world.users["alice"],
        data=CheckpointData(
            name="江景苑南门",
            kind=Checkpoint.Kind.COMPOUND_GATE,
            community=world.west,
            compound=world.households["d"].building.compound,
        ),
    )
    for gate, when, direction, verdict in [
        (east_gate, at(7, 1, 6, 10), "in", "pass"),
        (east_gate, at(7, 1, 6, 20), "in", "pass"),
        (east_gate, at(7, 1, 6, 40), "out", "pass"),
        (east_gate, at(7, 1, 7, 5), "out", "deny"),
        (west_gate, at(7, 1, 7, 15), "in", "pass"),
        (east_gate, at(6, 30, 18), "in", "pass"),
    ]:
        Scan.objects.create(
            client_id=uuid.uuid4().hex,
            checkpoint=gate,
            direction=direction,
            method="code",
            verdict=verdict,
            scanned_at=when,
        )


def _tasks(world, clock) -> None:
    from wangge.command.models import TaskKind
    from wangge.command.services.tasks import task_issue

    kind = TaskKind.objects.get(code="1510")
    for when, grid in [
        (at(7, 1, 7), world.grid_a),
        (at(7, 1, 7), world.grid_d),
        (at(7, 1, 7, 29, 30), world.grid_b),
    ]:
        clock.move_to(when)
        task_issue(by=world.users["alice"], kind=kind, title="排查返乡人员", assignees=[grid])
    clock.move_to(at(7, 1, 7, 30))


def _events(world) -> None:
    from wangge.command.models import Event
    from wangge.command.services.events import event_raise

    event_raise(
        kind="grid_report",
        title="发现未报备返乡人员",
        household=world.households["a"],
        source="网格巡查",
        by=world.users["gavin"],
    )
    handled = event_raise(
        kind="grid_report", title="楼道堆物", household=world.households["d"], source="网格巡查"
    )
    Event.objects.filter(pk=handled.pk).update(status="responded", raised_at=at(6, 30, 15))


def _cases_and_devices(world, measures: dict) -> None:
    """Zhang San (东社区) reported a case this morning, Zhao Liu (西社区) three days ago, Li Si a
    fortnight ago; Zhang San's door opened at 06:00, the sensor at Zhao Liu's reported a low
    battery last night, and one at Wang Wu's an intrusion two days ago."""
    from wangge.devices.models import Device, DeviceAlert
    from wangge.measures.models import Case

    for key, reported in [("zhang_san", TODAY), ("zhao_liu", date(2022, 6, 28))]:
        Case.objects.create(person=world.persons[key], kind="confirmed", reported_on=reported)
    Case.objects.create(
        person=world.persons["li_si"], kind="confirmed", reported_on=date(2022, 6, 17)
    )
    for key, kind, raised in [
        ("zhang_san", "intrusion", at(7, 1, 6)),
        ("zhao_liu", "battery_low", at(6, 30, 20)),
        ("wang_wu", "intrusion", at(6, 29, 9)),
    ]:
        measure = measures[key]
        device = Device.objects.create(
            household=measure.person.household,
            measure=measure,
            kind="door_sensor",
            vendor="Aqara",
            serial=f"door-{key}",
            token_prefix="wgd_xxxx",
            token_digest="0" * 64,
        )
        DeviceAlert.objects.create(
            household=device.household, device=device, measure=measure, kind=kind, raised_at=raised
        )


@pytest.fixture
def day(world, clock) -> SimpleNamespace:
    """The morning described in this module's docstring; `world.users["cora"]` commands 东社区."""
    world.users["cora"] = _staff("cora", Role.COMMANDER, community=world.east)
    _colours(world)
    measures = _measures(world)
    _checkins(measures)
    round = _testing(world)
    _scans(world)
    _tasks(world, clock)
    _events(world)
    _cases_and_devices(world, measures)
    return SimpleNamespace(world=world, measures=measures, round=round, clock=clock)
