"""Fixtures of the checkpoint tests: a frozen clock, the east gate of 阳光花园 and Kim (checkpoint
staff of the street) on its duty roster, a drill measure type that keeps people at home, and
helpers to issue a person's code and to scan."""

import uuid
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from wangge.checkpoints import tokens
from wangge.checkpoints.models import Checkpoint, PersonalCode, Shift, ShiftAssignment
from wangge.checkpoints.services import (
    CheckpointData,
    ScanInput,
    ScanOutcome,
    checkpoint_create,
    personal_codes_issue,
    scan_record,
)
from wangge.devices.tests.conftest import broker  # noqa: F401  (a mosquitto of the test's own)
from wangge.measures.models import HealthCodeChange, MeasureType, RuleSet

SHANGHAI = ZoneInfo("Asia/Shanghai")
DAY = date(2022, 7, 1)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=SHANGHAI)


@pytest.fixture
def clock() -> Iterator[time_machine.Traveller]:
    """Frozen at 2022-07-01 09:00 in Shanghai; move it with clock.move_to(...)."""
    with time_machine.travel(at(DAY, 9), tick=False) as traveller:
        yield traveller


@pytest.fixture
def gate(world) -> Checkpoint:
    """阳光花园东门: a compound gate of 东社区, 24 h, 8-hour shifts of two."""
    compound = world.households["a"].building.compound
    return checkpoint_create(
        by=world.users["carol"],
        data=CheckpointData(
            name="阳光花园东门",
            kind=Checkpoint.Kind.COMPOUND_GATE,
            community=world.east,
            compound=compound,
        ),
    )


def roster(user, checkpoint: Checkpoint, days: set[date]) -> None:
    """Put `user` on a 24-hour shift at `checkpoint` on each of `days`."""
    for day in sorted(days):
        starts = datetime(day.year, day.month, day.day, tzinfo=SHANGHAI)
        shift = Shift.objects.create(
            checkpoint=checkpoint, starts_at=starts, ends_at=starts + timedelta(days=1), needed=2
        )
        ShiftAssignment.objects.create(shift=shift, user=user)


@pytest.fixture
def on_duty(world, gate) -> Checkpoint:
    """Kim on the gate's roster around DAY (the frozen clock's days) and around the real today,
    for tests that run unfrozen."""
    days = {DAY + timedelta(days=n) for n in range(-1, 4)}
    days |= {timezone.localdate() + timedelta(days=n) for n in range(-1, 2)}
    roster(world.users["kim"], gate, days)
    return gate


@pytest.fixture
def stay_home(db) -> MeasureType:
    rule_set = RuleSet.objects.create(name="演练方案", kind=RuleSet.Kind.LOCAL)
    return MeasureType.objects.create(
        rule_set=rule_set,
        name="7天居家隔离（演练）",
        category=MeasureType.Category.HOME_ISOLATION,
        household_colour=MeasureType.Colour.ORANGE,
        duration_days=7,
        test_days=[1],
        checkin_times=["08:00"],
    )


def code_of(world, person) -> str:
    """The text of the person's QR code (issued if they have none)."""
    personal_codes_issue(by=world.users["admin"], persons=[person])
    return tokens.payload(tokens.PERSON, PersonalCode.objects.get(person=person).token_sealed)


def health_code(person, colour: str, when: datetime) -> HealthCodeChange:
    return HealthCodeChange.objects.create(person=person, colour=colour, changed_at=when)


def scan(
    world, checkpoint: Checkpoint, *, by: str = "kim", direction: str = "out", **fields
) -> ScanOutcome:
    fields.setdefault("client_id", uuid.uuid4().hex)
    return scan_record(
        by=world.users[by],
        checkpoint_id=checkpoint.pk,
        data=ScanInput(direction=direction, **fields),
    )
