"""Fixtures of the measures tests: a local drill rule set in force on any date, a frozen clock,
and a helper that puts a world persona under a measure."""

from collections.abc import Iterator
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from conftest import drill_home_isolation
from wangge.measures.models import MeasureType, RuleSet

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=SHANGHAI)


@pytest.fixture
def drill(db) -> dict[str, MeasureType]:
    """演练: an admin's local rule set without dates — 7 days at home, tests on days 1, 4 and 7,
    check-ins at 08:00 and 16:00, followed by 3 days of health monitoring (test on day 3)."""
    rule_set = RuleSet.objects.create(name="演练方案", kind=RuleSet.Kind.LOCAL)
    monitoring = MeasureType.objects.create(
        rule_set=rule_set,
        name="3天居家健康监测（演练）",
        category=MeasureType.Category.HEALTH_MONITORING,
        household_colour=MeasureType.Colour.YELLOW,
        duration_days=3,
        test_days=[3],
        checkin_times=["08:00", "16:00"],
    )
    home = drill_home_isolation(rule_set=rule_set, follow_on=monitoring)
    return {"home": home, "monitoring": monitoring}


@pytest.fixture
def clock() -> Iterator[time_machine.Traveller]:
    """Frozen at 2022-07-01 07:00 in Shanghai; move it with clock.move_to(...)."""
    with time_machine.travel(at(date(2022, 7, 1), 7), tick=False) as traveller:
        yield traveller


CASE_DAY = date(2026, 12, 7)


@pytest.fixture
def today() -> Iterator[date]:
    """Frozen at 2026-12-07 09:00, when the local case rule set (乙类乙管 onwards) is in force."""
    with time_machine.travel(at(CASE_DAY, 9), tick=False):
        yield CASE_DAY
