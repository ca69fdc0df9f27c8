"""Reporting a case: the measure the rules of that date name, the household's colour, the
command-centre event, the audit entry and who may report."""

from datetime import date

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from wangge.command.models import Event
from wangge.core.models import AuditEntry
from wangge.measures.models import Case, PersonMeasure
from wangge.measures.services import case_report
from wangge.measures.tests.conftest import at

pytestmark = pytest.mark.django_db


def test_a_confirmed_case_today_gets_the_local_case_measure_and_a_red_household(world, today):
    person = world.persons["zhang_san"]

    case = case_report(
        person=person, kind=Case.Kind.CONFIRMED, reported_on=today, by=world.users["gavin"]
    )

    assert case.measure.measure_type.name == "感染者集中隔离收治"
    assert case.measure.measure_type.rule_set.name == "本地：病例应急处置"
    assert case.measure.start == today
    person.household.refresh_from_db()
    assert person.household.colour == "red"


def test_a_case_reported_under_the_new_ten_rules_gets_their_home_isolation(world):
    reported = date(2022, 12, 20)
    with time_machine.travel(at(reported, 10), tick=False):
        case = case_report(
            person=world.persons["li_si"],
            kind=Case.Kind.ASYMPTOMATIC,
            reported_on=reported,
            by=world.users["alice"],
        )

    assert case.measure.measure_type.name == "感染者居家隔离7天"
    assert case.measure.measure_type.rule_set.name == "新十条"


def test_a_suspected_case_gets_single_room_isolation(world, today):
    case = case_report(
        person=world.persons["li_si"],
        kind=Case.Kind.SUSPECTED,
        reported_on=today,
        by=world.users["alice"],
    )

    assert case.measure.measure_type.name == "疑似病例单人单间隔离"


def test_a_case_on_a_day_without_a_case_rule_is_recorded_without_a_measure(world):
    reported = date(2022, 8, 1)
    with time_machine.travel(at(reported, 10), tick=False):
        case = case_report(
            person=world.persons["li_si"],
            kind=Case.Kind.CONFIRMED,
            reported_on=reported,
            by=world.users["alice"],
        )

    assert case.measure is None
    assert not PersonMeasure.objects.filter(person=world.persons["li_si"]).exists()


def test_the_command_centre_receives_an_event_naming_the_person(world, today):
    person = world.persons["zhang_san"]

    case = case_report(
        person=person, kind=Case.Kind.CONFIRMED, reported_on=today, by=world.users["alice"]
    )

    event = Event.objects.get(pk=case.raised_event_id)
    assert event.kind.code == "case"
    assert list(event.persons.all()) == [person]
    assert event.household == person.household


def test_the_report_is_audited_with_the_measure_type(world, today):
    case = case_report(
        person=world.persons["zhang_san"],
        kind=Case.Kind.CONFIRMED,
        reported_on=today,
        by=world.users["gavin"],
    )

    entry = AuditEntry.objects.get(target_type="measures.case", target_id=str(case.pk))
    assert entry.actor == world.users["gavin"]
    assert entry.changes["measure_type"] == "感染者集中隔离收治"


def test_a_person_under_another_measure_is_transferred_to_the_case_measure(world, drill, today):
    from wangge.measures.services import measure_assign

    person = world.persons["zhang_san"]
    (first,) = measure_assign(
        by=world.users["alice"],
        persons=[person],
        measure_type=drill["home"],
        start=today,
        reason="密接",
    )

    case = case_report(
        person=person, kind=Case.Kind.CONFIRMED, reported_on=today, by=world.users["alice"]
    )

    first.refresh_from_db()
    assert first.status == PersonMeasure.Status.TRANSFERRED
    assert case.measure.previous_id == first.pk
    assert case.measure.status == PersonMeasure.Status.ACTIVE


def test_a_grid_worker_of_another_grid_may_not_report_and_nothing_is_written(world, today):
    with pytest.raises(PermissionDenied):
        case_report(
            person=world.persons["zhang_san"],
            kind=Case.Kind.CONFIRMED,
            reported_on=today,
            by=world.users["bella"],
        )

    assert not Case.objects.exists()
    assert not Event.objects.exists()
    assert not PersonMeasure.objects.exists()


def test_the_same_kind_twice_and_a_future_date_are_refused(world, today):
    person = world.persons["zhang_san"]
    case_report(person=person, kind=Case.Kind.SUSPECTED, reported_on=today, by=world.users["alice"])

    with pytest.raises(ValidationError, match="已报告为疑似病例"):
        case_report(
            person=person, kind=Case.Kind.SUSPECTED, reported_on=today, by=world.users["alice"]
        )
    with pytest.raises(ValidationError, match="不能晚于今天"):
        case_report(
            person=person,
            kind=Case.Kind.CONFIRMED,
            reported_on=date(2026, 12, 8),
            by=world.users["alice"],
        )
