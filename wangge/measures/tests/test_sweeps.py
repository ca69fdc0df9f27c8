"""Missed check-ins past the grace period, and the automatic release: set-based and idempotent."""

from datetime import date, timedelta

import pytest

from wangge.core.models import Alert
from wangge.measures.models import CheckInSlot, MeasureEvent, PersonMeasure
from wangge.measures.services import (
    Team,
    checkin_mark_missed,
    checkin_record,
    measure_assign,
    measure_release_due,
    measure_test_record,
)

from .conftest import at

DAY = date(2022, 7, 1)


@pytest.fixture
def measure(world, drill, clock):
    (measure,) = measure_assign(
        by=world.users["carol"],
        persons=[world.persons["zhang_san"]],
        measure_type=drill["home"],
        start=DAY,
        reason="返乡",
    )
    return measure


def test_a_slot_is_missed_only_after_the_grace_period(world, measure, clock):
    # given the 08:00 slot and a grace of 120 minutes
    clock.move_to(at(DAY, 9, 59))
    assert checkin_mark_missed()["missed"] == 0
    clock.move_to(at(DAY, 10, 1))
    # when the sweep runs after 10:00
    result = checkin_mark_missed()
    # then the slot is missed and the grid worker alone is alerted
    assert result["missed"] == 1
    assert measure.slots.get(due_at=at(DAY, 8)).status == CheckInSlot.Status.MISSED
    alert = Alert.objects.get()
    assert alert.recipient == world.users["gavin"]
    assert alert.kind == "measure_missed"
    assert "张三" in alert.text


def test_the_grace_period_is_configurable(world, measure, clock, settings):
    settings.WANGGE = {**settings.WANGGE, "CHECKIN_GRACE_MINUTES": 30}
    clock.move_to(at(DAY, 8, 31))
    assert checkin_mark_missed()["missed"] == 1


def test_running_the_sweep_twice_alerts_once(world, measure, clock):
    clock.move_to(at(DAY, 11))
    checkin_mark_missed()
    assert checkin_mark_missed() == {"missed": 0, "alerts": 0}
    assert Alert.objects.count() == 1


def test_a_done_slot_is_never_missed(world, measure, clock):
    clock.move_to(at(DAY, 8, 5))
    checkin_record(by=world.users["gavin"], measure=measure, temperature="36.5", client_id="a")
    clock.move_to(at(DAY, 11))
    assert checkin_mark_missed()["missed"] == 0


def test_a_second_missed_slot_also_alerts_the_community(world, measure, clock):
    # given the 08:00 slot missed (grid worker alerted)
    clock.move_to(at(DAY, 10, 30))
    checkin_mark_missed()
    # when the 16:00 slot is missed too
    clock.move_to(at(DAY, 18, 30))
    checkin_mark_missed()
    # then Gavin has two alerts and Carol (东社区) one, saying it is again
    assert Alert.objects.filter(recipient=world.users["gavin"]).count() == 2
    carol = Alert.objects.get(recipient=world.users["carol"])
    assert "再次未打卡" in carol.text
    assert not Alert.objects.filter(recipient=world.users["alice"]).exists()


def test_a_measure_without_grid_worker_alerts_the_community_at_once(world, drill, clock):
    measure_assign(
        by=world.users["carol"],
        persons=[world.persons["wang_wu"]],
        measure_type=drill["home"],
        start=DAY,
        reason="无网格员",
        team=Team(doctor=world.users["dora"]),
    )
    clock.move_to(at(DAY, 10, 30))
    checkin_mark_missed()
    assert Alert.objects.filter(recipient=world.users["carol"]).count() == 1


def test_many_misses_make_one_alert_per_worker(world, drill, clock):
    measure_assign(
        by=world.users["carol"],
        persons=[world.persons["zhang_san"], world.persons["li_si"]],
        measure_type=drill["home"],
        start=DAY,
        reason="同楼",
        team=Team(grid_worker=world.users["gavin"]),
    )
    clock.move_to(at(DAY, 10, 30))
    checkin_mark_missed()
    alert = Alert.objects.get(recipient=world.users["gavin"])
    assert "等 2 人" in alert.text


def _negative_tests(world, measure, days):
    for day in days:
        measure_test_record(
            by=world.users["gavin"],
            person=measure.person,
            sampled_on=DAY + timedelta(days=day - 1),
            result="negative",
        )


def test_automatic_release_waits_for_the_end_and_the_negative_tests(world, measure, clock):
    # given day 8 has come but the day-7 test has no result
    clock.move_to(at(DAY + timedelta(days=7), 0, 10))
    _negative_tests(world, measure, [1, 4])
    assert measure_release_due() == {"released": 0, "followed_on": 0}
    # when the last test comes back negative
    _negative_tests(world, measure, [7])
    result = measure_release_due()
    # then the measure is released and the follow-on (3 days of monitoring) starts today
    assert result == {"released": 1, "followed_on": 1}
    measure.refresh_from_db()
    assert measure.status == PersonMeasure.Status.RELEASED
    follow = measure.following.get()
    assert follow.measure_type.name == "3天居家健康监测（演练）"
    assert follow.start == DAY + timedelta(days=7)
    assert follow.grid_worker == measure.grid_worker
    kinds = set(MeasureEvent.objects.values_list("kind", flat=True))
    assert {MeasureEvent.Kind.AUTO_RELEASED, MeasureEvent.Kind.FOLLOWED_ON} <= kinds
    # and its remaining slots are cancelled
    assert not measure.slots.filter(status=CheckInSlot.Status.OPEN).exists()


def test_automatic_release_is_idempotent(world, measure, clock):
    clock.move_to(at(DAY + timedelta(days=7), 1))
    _negative_tests(world, measure, [1, 4, 7])
    measure_release_due()
    assert measure_release_due() == {"released": 0, "followed_on": 0}
    assert PersonMeasure.objects.filter(person=measure.person).count() == 2


def test_a_positive_test_blocks_the_release(world, measure, clock):
    clock.move_to(at(DAY + timedelta(days=7), 1))
    _negative_tests(world, measure, [1, 4])
    measure_test_record(
        by=world.users["gavin"],
        person=measure.person,
        sampled_on=DAY + timedelta(days=6),
        result="positive",
    )
    assert measure_release_due()["released"] == 0
