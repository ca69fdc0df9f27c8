from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from wangge.core.models import Alert
from wangge.measures.models import (
    CheckInSlot,
    MeasureEvent,
    MeasureTest,
    MeasureType,
    PersonMeasure,
)
from wangge.measures.services import (
    measure_assign,
    measure_end_early,
    measure_release,
    measure_test_record,
    measure_transfer,
    release_blockers,
)
from wangge.measures.services.release import releasable

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


def _record(world, measure, day, result="negative"):
    return measure_test_record(
        by=world.users["gavin"],
        person=measure.person,
        sampled_on=DAY + timedelta(days=day - 1),
        result=result,
    )


def test_release_before_the_end_is_refused_with_the_reason(world, measure, clock):
    with pytest.raises(ValidationError, match="管控期未满"):
        measure_release(by=world.users["gavin"], measure=measure)


def test_release_needs_the_last_tests_negative(world, measure, clock):
    clock.move_to(at(DAY + timedelta(days=7), 9))
    _record(world, measure, 1)
    with pytest.raises(ValidationError, match="第4、7天核酸尚无结果"):
        measure_release(by=world.users["gavin"], measure=measure)


def test_release_starts_the_follow_on_and_is_on_the_timeline(world, measure, clock):
    clock.move_to(at(DAY + timedelta(days=7), 9))
    for day in (1, 4, 7):
        _record(world, measure, day)
    measure_release(by=world.users["gavin"], measure=measure, reason="期满")
    measure.refresh_from_db()
    assert measure.status == PersonMeasure.Status.RELEASED
    follow = PersonMeasure.objects.get(person=measure.person, status="active")
    assert follow.previous == measure
    assert follow.end == DAY + timedelta(days=10)
    assert list(measure.events.values_list("kind", flat=True)) == ["released", "assigned"]


def test_a_type_without_the_negative_rule_releases_on_time(world, clock):
    # given the local preset 14 days home isolation (no test requirement)
    home14 = MeasureType.objects.get(name="14天居家隔离（非疫区返回）")
    (measure,) = measure_assign(
        by=world.users["alice"],
        persons=[world.persons["zhao_liu"]],
        measure_type=home14,
        start=DAY,
        reason="自外地返回",
    )
    clock.move_to(at(DAY + timedelta(days=14), 9))
    assert release_blockers(measure) == []
    measure_release(by=world.users["alice"], measure=measure)
    assert not PersonMeasure.objects.filter(status="active").exists()


def test_the_sql_rule_and_the_explanation_agree(world, measure, clock):
    later = DAY + timedelta(days=7)
    clock.move_to(at(later, 9))
    cases = [
        ([], False),
        ([(1, "negative"), (4, "negative"), (7, "negative")], True),
        ([(7, "invalid")], False),
        ([(7, "negative")], True),
        ([(5, "pending_review")], False),
    ]
    for results, expected in cases:
        for day, result in results:
            _record(world, measure, day, result)
        measure.refresh_from_db()
        in_sql = releasable(later).filter(pk=measure.pk).exists()
        assert in_sql is expected
        assert (release_blockers(measure, later) == []) is expected


def test_end_early_needs_a_reason_and_cancels_open_slots(world, measure, clock):
    with pytest.raises(ValidationError):
        measure_end_early(by=world.users["gavin"], measure=measure, reason="")
    measure_end_early(by=world.users["gavin"], measure=measure, reason="身份误判")
    measure.refresh_from_db()
    assert measure.status == PersonMeasure.Status.ENDED_EARLY
    assert measure.end_reason == "身份误判"
    assert not measure.slots.filter(status=CheckInSlot.Status.OPEN).exists()
    assert measure.events.filter(kind=MeasureEvent.Kind.ENDED_EARLY).exists()


def test_transfer_to_hospital_ends_the_measure(world, measure, clock):
    measure_transfer(
        by=world.users["gavin"], measure=measure, reason="发热", destination="市第一人民医院"
    )
    measure.refresh_from_db()
    assert measure.status == PersonMeasure.Status.TRANSFERRED
    assert measure.destination == "市第一人民医院"
    assert not PersonMeasure.objects.filter(status="active").exists()


def test_transfer_to_centralised_isolation_starts_it_with_the_same_team(world, measure, clock):
    ninth = MeasureType.objects.get(name="密接7天集中隔离")
    measure_transfer(
        by=world.users["gavin"],
        measure=measure,
        reason="升级为密接",
        destination="某集中隔离点",
        measure_type=ninth,
    )
    new = PersonMeasure.objects.get(status="active")
    assert new.measure_type == ninth
    assert new.previous == measure
    assert new.grid_worker == measure.grid_worker


def test_transfer_needs_reason_and_destination(world, measure, clock):
    with pytest.raises(ValidationError) as error:
        measure_transfer(by=world.users["gavin"], measure=measure, reason="", destination="")
    assert set(error.value.message_dict) == {"reason", "destination"}


def test_the_doctor_on_the_team_may_not_release(world, drill, clock):
    from wangge.measures.services import Team

    (measure,) = measure_assign(
        by=world.users["alice"],
        persons=[world.persons["zhao_liu"]],
        measure_type=drill["home"],
        start=DAY,
        reason="x",
        team=Team(doctor=world.users["dora"]),
    )
    with pytest.raises(PermissionDenied):
        measure_end_early(by=world.users["dora"], measure=measure, reason="x")


def test_a_result_closes_the_item_due_that_day(world, measure, clock):
    clock.move_to(at(DAY + timedelta(days=3), 12))
    item = _record(world, measure, 4)
    assert item.day == 4 and item.result == "negative"
    assert MeasureTest.objects.filter(measure=measure, result="").count() == 2


def test_a_late_result_closes_the_overdue_item(world, measure, clock):
    clock.move_to(at(DAY + timedelta(days=2), 9))
    item = measure_test_record(
        by=world.users["gavin"],
        person=measure.person,
        sampled_on=DAY + timedelta(days=1),
        result="negative",
    )
    assert item.day == 1


def test_a_review_result_is_settled_on_the_same_item(world, measure, clock):
    first = _record(world, measure, 1, "pending_review")
    second = _record(world, measure, 1, "negative")
    assert first.pk == second.pk
    assert MeasureTest.objects.filter(measure=measure).count() == 3


def test_a_positive_result_alerts_the_team_at_once(world, measure, clock):
    _record(world, measure, 1, "positive")
    alert = Alert.objects.get()
    assert alert.kind == "measure_test" and "阳性" in alert.text
    assert alert.recipient == world.users["gavin"]


def test_a_result_for_a_person_not_under_a_measure_is_ignored(world, clock):
    assert (
        measure_test_record(
            by=world.users["alice"],
            person=world.persons["wang_wu"],
            sampled_on=DAY,
            result="negative",
        )
        is None
    )


def test_lab_results_may_be_recorded_by_import_staff(world, measure, clock):
    item = measure_test_record(
        by=world.users["alice"],
        person=measure.person,
        sampled_on=DAY,
        result="negative",
        source="lab",
    )
    assert item.source == "lab"
