"""Rule sets and measure types: dated presets, and what an admin may configure."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from wangge.measures.models import MeasureType, RuleSet
from wangge.measures.services.rules import MeasureTypeData, measure_type_save, rule_set_create


@pytest.mark.parametrize(
    ("day", "rule_set"),
    [
        (date(2021, 6, 1), "第八版防控方案"),
        (date(2022, 6, 28), "第九版防控方案"),
        (date(2022, 11, 11), "二十条"),
        (date(2022, 12, 7), "新十条"),
        (date(2023, 1, 8), "乙类乙管"),
    ],
)
def test_one_national_rule_set_is_in_force_each_day(db, day, rule_set):
    national = RuleSet.objects.in_force(day).filter(kind=RuleSet.Kind.NATIONAL)
    assert list(national.values_list("name", flat=True)) == [rule_set]


def test_only_local_types_are_in_force_after_class_b_management(db):
    in_force = MeasureType.objects.in_force(date(2026, 11, 27))

    assert in_force.exists()
    assert set(in_force.values_list("rule_set__kind", flat=True)) == {"local"}


def test_the_ninth_edition_close_contact_rule(db):
    close = MeasureType.objects.get(name="密接7天集中隔离")
    assert (close.duration_days, close.test_days, close.household_colour) == (
        7,
        [1, 2, 3, 5, 7],
        "red",
    )
    assert close.follow_on.duration_days == 3 and close.follow_on.test_days == [3]
    assert close.checkins_per_day == 2


def test_home_isolation_colours_keep_epidemic_and_other_areas_apart(db):
    colours = dict(
        MeasureType.objects.filter(name__startswith="14天居家隔离").values_list(
            "name", "household_colour"
        )
    )
    assert colours == {"14天居家隔离（疫区返回）": "orange", "14天居家隔离（非疫区返回）": "yellow"}


def _data(**extra):
    values = {
        "name": "演练7天",
        "category": "home_isolation",
        "household_colour": "orange",
        "duration_days": 7,
        "test_days": [1, 7],
        "checkin_times": ["09:00"],
        **extra,
    }
    return MeasureTypeData(**values)


def test_an_admin_adds_a_local_rule_set_and_its_types(world):
    admin = world.users["admin"]
    rule_set = rule_set_create(by=admin, name="本街道演练", effective_from=date(2026, 1, 1))
    measure_type = measure_type_save(by=admin, rule_set=rule_set, data=_data())
    assert rule_set.kind == RuleSet.Kind.LOCAL
    assert MeasureType.objects.in_force(date(2026, 2, 1)).filter(pk=measure_type.pk).exists()
    assert not MeasureType.objects.in_force(date(2025, 12, 31)).filter(pk=measure_type.pk).exists()


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"test_days": [8]}, "test_days"),
        ({"checkin_times": ["25:00"]}, "checkin_times"),
        ({"checkin_times": ["08:00", "08:00"]}, "checkin_times"),
    ],
)
def test_impossible_types_are_refused(world, extra, field):
    rule_set = rule_set_create(by=world.users["admin"], name="本街道演练")
    with pytest.raises(ValidationError) as error:
        measure_type_save(by=world.users["admin"], rule_set=rule_set, data=_data(**extra))
    assert field in error.value.message_dict


def test_a_follow_on_from_another_rule_set_is_refused(world):
    rule_set = rule_set_create(by=world.users["admin"], name="本街道演练")
    other = MeasureType.objects.get(name="密接7天集中隔离")
    with pytest.raises(ValidationError, match="同一方案"):
        measure_type_save(by=world.users["admin"], rule_set=rule_set, data=_data(follow_on=other))


def test_only_admins_configure(world, client):
    with pytest.raises(PermissionDenied):
        rule_set_create(by=world.users["alice"], name="越权")
    client.force_login(world.users["alice"])
    assert client.get(reverse("measures:rule_sets")).status_code == 403
    client.force_login(world.users["admin"])
    page = client.get(
        reverse("measures:rule_set", args=[RuleSet.objects.get(name="第九版防控方案").pk])
    )
    assert "密接7天集中隔离" in page.content.decode()
