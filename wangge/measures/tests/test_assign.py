from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from wangge.core.models import AuditEntry
from wangge.measures.models import CheckInSlot, MeasureEvent, MeasureType, PersonMeasure
from wangge.measures.services import Team, measure_assign

from .conftest import at

DAY = date(2022, 7, 1)


def test_assign_computes_end_slots_tests_and_default_team(world, drill, clock):
    # given Zhang San of grid A, whose grid worker is Gavin
    zhang = world.persons["zhang_san"]
    # when Gavin puts him under 7 days of home isolation starting today at 07:00
    (measure,) = measure_assign(
        by=world.users["gavin"],
        persons=[zhang],
        measure_type=drill["home"],
        start=DAY,
        reason="自武汉返回",
        plan="每日两次测温",
    )
    # then the end is 7 days later, 14 check-in slots and 3 tests are due, Gavin leads the team
    assert measure.end == DAY + timedelta(days=7)
    assert measure.slots.count() == 14
    first = measure.slots.order_by("due_at").first()
    assert first.due_at == at(DAY, 8)
    assert [t.due_on for t in measure.tests.order_by("due_on")] == [
        DAY,
        DAY + timedelta(days=3),
        DAY + timedelta(days=6),
    ]
    assert measure.grid_worker == world.users["gavin"]
    assert measure.events.get().kind == MeasureEvent.Kind.ASSIGNED
    assert AuditEntry.objects.filter(target_type="measures.personmeasure").count() == 1


def test_slots_already_past_at_assignment_are_not_due(world, drill, clock):
    clock.move_to(at(DAY, 12))
    (measure,) = measure_assign(
        by=world.users["gavin"],
        persons=[world.persons["zhang_san"]],
        measure_type=drill["home"],
        start=DAY,
        reason="密接",
    )
    assert measure.slots.count() == 13
    assert measure.slots.order_by("due_at").first().due_at == at(DAY, 16)


def test_several_persons_are_one_action(world, drill, clock):
    people = [world.persons["zhang_san"], world.persons["li_si"]]
    measures = measure_assign(
        by=world.users["carol"],
        persons=people,
        measure_type=drill["home"],
        start=DAY,
        reason="同户",
        team=Team(grid_worker=world.users["bella"], doctor=world.users["dora"]),
    )
    assert {m.person for m in measures} == set(people)
    assert {m.grid_worker for m in measures} == {world.users["bella"]}
    assert {m.doctor for m in measures} == {world.users["dora"]}


def test_a_failing_person_writes_nothing_for_the_others(world, drill, clock):
    # given Li Si already under a measure
    measure_assign(
        by=world.users["carol"],
        persons=[world.persons["li_si"]],
        measure_type=drill["home"],
        start=DAY,
        reason="先行",
    )
    # when the household is assigned together, the whole action fails
    with pytest.raises(ValidationError, match="已在管控中"):
        measure_assign(
            by=world.users["carol"],
            persons=[world.persons["zhang_san"], world.persons["li_si"]],
            measure_type=drill["home"],
            start=DAY,
            reason="同户",
        )
    assert not PersonMeasure.objects.filter(person=world.persons["zhang_san"]).exists()


def test_a_grid_worker_cannot_assign_outside_their_grid(world, drill, clock):
    with pytest.raises(PermissionDenied):
        measure_assign(
            by=world.users["gavin"],
            persons=[world.persons["wang_wu"]],
            measure_type=drill["home"],
            start=DAY,
            reason="越权",
        )
    assert not CheckInSlot.objects.exists()


def test_reason_is_required(world, drill, clock):
    with pytest.raises(ValidationError, match="reason"):
        measure_assign(
            by=world.users["gavin"],
            persons=[world.persons["zhang_san"]],
            measure_type=drill["home"],
            start=DAY,
            reason="  ",
        )


@pytest.mark.parametrize(
    ("start", "allowed"),
    [(date(2022, 6, 27), False), (date(2022, 6, 28), True), (date(2022, 11, 11), False)],
)
def test_a_measure_follows_the_rule_set_in_force_on_its_start(world, start, allowed):
    # given 第九版's close-contact measure (in force 2022-06-28 until 2022-11-11)
    ninth = MeasureType.objects.get(name="密接7天集中隔离")

    def assign() -> list[PersonMeasure]:
        return measure_assign(
            by=world.users["alice"],
            persons=[world.persons["zhang_san"]],
            measure_type=ninth,
            start=start,
            reason="密接",
        )

    if allowed:
        assert assign()[0].end == start + timedelta(days=7)
    else:
        with pytest.raises(ValidationError, match="适用期"):
            assign()
