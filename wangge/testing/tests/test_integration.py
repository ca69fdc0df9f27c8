"""The testing app's results reaching the command centre (events) and measures (test days)."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from wangge.command.models import Event
from wangge.measures.models import MeasureTest, MeasureType, RuleSet
from wangge.measures.services import measure_assign
from wangge.testing.services.lab.importing import results_import
from wangge.testing.tests.conftest import lab_row

pytestmark = pytest.mark.django_db


def test_a_positive_pool_is_an_event_for_the_command_centre(world, lab_file, monkeypatch):
    monkeypatch.undo()  # the real command.services instead of the recorder
    rows = [
        lab_row(name=n, serial=s, tube="P1", result="阳性") for n, s in (("张三", 1), ("王五", 3))
    ]

    results_import(path=lab_file(rows), by=world.users["carol"])

    event = Event.objects.get()
    assert event.kind.code == "positive_test"
    assert "P1" in event.title
    assert set(event.persons.values_list("name", flat=True)) == {"张三", "王五"}
    assert event.street == world.street and event.grid is None  # two grids: the street's event


@pytest.fixture
def under_measure(world):
    rules = RuleSet.objects.create(name="演练方案", kind=RuleSet.Kind.LOCAL)
    home = MeasureType.objects.create(
        rule_set=rules,
        name="7天居家隔离（演练）",
        category=MeasureType.Category.HOME_ISOLATION,
        household_colour=MeasureType.Colour.ORANGE,
        duration_days=7,
        test_days=[1, 4, 7],
        checkin_times=["08:00"],
    )
    with time_machine.travel(datetime(2022, 7, 1, 7, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False):
        (measure,) = measure_assign(
            by=world.users["carol"],
            persons=[world.persons["zhang_san"]],
            measure_type=home,
            start=date(2022, 7, 1),
            reason="返乡",
        )
        yield measure


def test_a_result_of_a_person_under_a_measure_closes_the_test_day(world, lab_file, under_measure):
    # when a lab file with 张三's day-1 sample is imported by someone not on his team
    results_import(
        path=lab_file([lab_row(serial=1, sampled="2022-07-01 09:00")]), by=world.users["alice"]
    )

    # then the measure's day-1 test is closed by the lab
    test = MeasureTest.objects.get(measure=under_measure, due_on=date(2022, 7, 1))
    assert (test.result, test.source, test.sampled_on) == ("negative", "lab", date(2022, 7, 1))


def test_a_pooled_positive_reaches_the_measure_as_pending_review(
    world, lab_file, under_measure, raised_events
):
    rows = [
        lab_row(name=n, serial=s, tube="P1", result="阳性", sampled="2022-07-01 09:00")
        for n, s in (("张三", 1), ("王五", 3))
    ]

    results_import(path=lab_file(rows))

    test = MeasureTest.objects.get(measure=under_measure, due_on=date(2022, 7, 1))
    assert test.result == "pending_review"
