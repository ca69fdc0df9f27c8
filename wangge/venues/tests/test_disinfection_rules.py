"""消杀要求: the elevator of a building with a household under home isolation needs two logs a
Beijing day; at the rule's hour the misses are recorded and the grid workers told, once.

On 7 December Zhang San (1幢, 第一网格), Li Si (2幢, its small grid, no grid worker of its own)
and Wang Wu (3幢, 第二网格) are isolated at home; Zhao Liu (西社区) is in centralised isolation."""

from datetime import timedelta

import pytest
import time_machine

from wangge.measures.models import MeasureType
from wangge.notify.models import Message, Recipient
from wangge.venues.models import DisinfectionLog, DisinfectionMiss, PlaceKind
from wangge.venues.services.disinfection_rules import (
    disinfection_alerts_send,
    disinfection_rule_default,
    requirement_status,
)
from wangge.venues.tests.disinfection_fixtures import DAY, at, isolate


@pytest.fixture
def isolated(world):
    with time_machine.travel(at(7), tick=False):
        isolate(world, "zhang_san", "li_si", "wang_wu")
        isolate(world, "zhao_liu", category=MeasureType.Category.CENTRALISED)
    rule = disinfection_rule_default(street=world.street)
    # 1幢 twice today; 3幢 once today and once a minute before midnight; 2幢 never
    for key, when in [
        ("a", at(8)),
        ("a", at(15)),
        ("b", at(9)),
        ("b", at(23, 59) - timedelta(days=1)),
    ]:
        DisinfectionLog.objects.create(
            client_id=f"{key}-{when:%d%H%M}",
            place=PlaceKind.ELEVATOR,
            building=world.households[key].building,
            agent="消毒",
            done_at=when,
            done_by=world.users["alice"],
        )
    return rule


def status_by_building(rule):
    return {str(s.building): (s.logged, s.met) for s in requirement_status(rule, DAY)}


def test_only_buildings_with_home_isolation_need_it_and_the_day_is_beijings(world, isolated):
    assert status_by_building(isolated) == {
        "阳光花园1幢": (2, True),
        "阳光花园2幢": (0, False),
        "阳光花园3幢": (1, False),
    }


def test_nothing_is_alerted_before_the_alert_hour(world, isolated):
    assert disinfection_alerts_send(now=at(17, 59)) == {"misses": 0, "messages": 0}
    assert not DisinfectionMiss.objects.exists()


def test_at_the_hour_each_grid_worker_is_told_of_their_buildings_once(world, isolated):
    assert disinfection_alerts_send(now=at(18, 0)) == {"misses": 2, "messages": 2}
    misses = {(str(m.building), m.logged) for m in DisinfectionMiss.objects.all()}
    assert misses == {("阳光花园2幢", 0), ("阳光花园3幢", 1)}
    told = {
        r.user.username: r.message.text for r in Recipient.objects.select_related("user", "message")
    }
    assert set(told) == {"gavin", "bella"}
    assert "阳光花园2幢（0/2次）" in told["gavin"] and "3幢" not in told["gavin"]
    assert "阳光花园3幢（1/2次）" in told["bella"] and "2幢" not in told["bella"]
    # a second run the same day tells nobody again
    assert disinfection_alerts_send(now=at(18, 10)) == {"misses": 0, "messages": 0}
    assert Message.objects.count() == 2


def test_a_building_that_meets_it_before_the_hour_is_not_alerted(world, isolated):
    for hour in (10, 11):
        DisinfectionLog.objects.create(
            client_id=f"a1-{hour}",
            place=PlaceKind.ELEVATOR,
            building=world.households["a1"].building,
            agent="消毒",
            done_at=at(hour),
            done_by=world.users["gavin"],
        )
    assert disinfection_alerts_send(now=at(19)) == {"misses": 1, "messages": 1}
    assert Recipient.objects.get().user == world.users["bella"]


def test_a_later_alert_hour_and_an_inactive_rule_wait(world, isolated):
    isolated.alert_hour = 20
    isolated.save()
    assert disinfection_alerts_send(now=at(19, 59))["misses"] == 0
    isolated.active = False
    isolated.save()
    assert disinfection_alerts_send(now=at(21))["misses"] == 0


def test_an_alert_that_cannot_be_addressed_is_tried_again_at_the_next_run(
    world, isolated, monkeypatch
):
    from wangge.notify.audience import AudienceError
    from wangge.venues.services import disinfection_rules

    def refused(*args, **kwargs):
        raise AudienceError("no such grid")

    monkeypatch.setattr(disinfection_rules, "audience_parse", refused)
    assert disinfection_alerts_send(now=at(18)) == {"misses": 0, "messages": 0}
    assert not DisinfectionMiss.objects.exists()
    monkeypatch.undo()
    assert disinfection_alerts_send(now=at(18, 10)) == {"misses": 2, "messages": 2}
