"""Pooled tubes (10混1): a positive or invalid pool puts its persons in review, alerts their grid
workers once, raises one event; a single-tube retest settles each person."""

import pytest

from wangge.core.models import Alert
from wangge.testing.models import LabResult
from wangge.testing.services.lab.importing import results_import
from wangge.testing.tests.conftest import lab_row

pytestmark = pytest.mark.django_db


def pool(result: str, tube: str = "P1", sampled: str = "2022-04-10 08:15") -> list[list[str]]:
    return [
        lab_row(name=name, serial=serial, tube=tube, result=result, sampled=sampled)
        for name, serial in (("张三", 1), ("李四", 2), ("王五", 3))
    ]


def review_of(world) -> dict[str, str]:
    return dict(LabResult.objects.values_list("person__name", "review"))


def test_a_positive_pool_puts_every_person_in_review(world, lab_file, raised_events):
    results_import(path=lab_file(pool("阳性")))

    assert review_of(world) == {"张三": "awaiting", "李四": "awaiting", "王五": "awaiting"}
    # gavin holds grid A (张三, and 李四 in its small grid A1); bella holds grid B (王五)
    alerted = set(Alert.objects.values_list("recipient__username", flat=True))
    assert alerted == {"gavin", "bella"}
    assert "P1" in Alert.objects.first().text
    assert len(raised_events) == 1
    assert {p.name for p in raised_events[0]["persons"]} == {"张三", "李四", "王五"}


def test_an_invalid_pool_also_goes_to_review(world, lab_file):
    results_import(path=lab_file(pool("无效")))

    assert set(review_of(world).values()) == {"awaiting"}


def test_a_negative_pool_changes_nothing(world, lab_file, raised_events):
    results_import(path=lab_file(pool("阴性")))

    assert set(review_of(world).values()) == {""}
    assert not Alert.objects.exists() and not raised_events


def test_reimporting_a_positive_pool_alerts_once(world, lab_file, raised_events):
    path = lab_file(pool("阳性"))
    results_import(path=path)

    results_import(path=path)

    assert Alert.objects.count() == 2
    assert len(raised_events) == 1


def test_an_unmatched_sample_counts_towards_the_pool(world, lab_file):
    rows = [
        lab_row(serial=1, tube="P9", result="阳性"),
        lab_row(serial=98, tube="P9", result="阳性"),
    ]

    results_import(path=lab_file(rows))

    assert LabResult.objects.get().review == "awaiting"


def test_a_single_tube_retest_settles_each_person(world, lab_file, raised_events):
    results_import(path=lab_file(pool("阳性")))

    # when 张三 is retested alone and is negative
    retest = lab_row(serial=1, tube="S1", result="阴性", sampled="2022-04-10 15:00")
    results_import(path=lab_file([retest]))

    # then his pooled result is settled by the retest; the others still wait
    pooled = LabResult.objects.get(person=world.persons["zhang_san"], tube_code="P1")
    single = LabResult.objects.get(tube_code="S1")
    assert (pooled.review, pooled.settled_by) == ("settled", single)
    assert LabResult.objects.filter(review="awaiting").count() == 2
    assert len(raised_events) == 1


def test_a_retest_in_another_pool_settles_nothing(world, lab_file):
    results_import(path=lab_file(pool("阳性")))

    results_import(path=lab_file(pool("阴性", tube="P2", sampled="2022-04-10 15:00")))

    assert LabResult.objects.filter(tube_code="P1", review="awaiting").count() == 3


def test_a_positive_single_tube_is_an_event(world, lab_file, raised_events):
    results_import(path=lab_file([lab_row(name="王五", serial=3, tube="S7", result="阳性")]))

    assert len(raised_events) == 1
    assert raised_events[0]["persons"] == [world.persons["wang_wu"]]
    assert LabResult.objects.get().review == ""
