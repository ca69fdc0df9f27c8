from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from wangge.command.models import Event, EventLog
from wangge.command.reports import event_rates
from wangge.command.services.events import event_hand_over, event_raise, event_transition

T0 = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)


def test_raise_records_the_place_down_to_the_household_and_the_people(world, alerts):
    # when the testing capability reports a positive tube (no user behind it)
    event = event_raise(
        kind="positive_test",
        title="混管阳性",
        persons=[world.persons["zhang_san"]],
        source="testing:tube 88",
    )

    # then
    assert (event.household, event.building, event.grid, event.community, event.street) == (
        world.households["a"],
        world.households["a"].building,
        world.grid_a,
        world.east,
        world.street,
    )
    assert list(event.persons.all()) == [world.persons["zhang_san"]]
    # received by the street's command centre, which owns it
    assert event.owner == world.street
    assert alerts(world.users["alice"]) == ["新事件（核酸阳性）：混管阳性"]


def test_the_first_unit_to_receive_an_event_owns_it_until_handed_on(world, alerts):
    # given a grid worker reporting from their grid
    event = event_raise(
        kind="grid_report",
        title="发现未报备返乡人员",
        household=world.households["a"],
        source="网格巡查",
        by=world.users["gavin"],
    )
    assert event.owner == world.grid_a

    # someone else cannot hand it on, nor handle it
    with pytest.raises(PermissionDenied):
        event_hand_over(event=event, to=world.east, by=world.users["bella"])
    with pytest.raises(PermissionDenied):
        event_transition(event=event, action="respond", by=world.users["bella"])

    # the owner hands it on explicitly
    event_hand_over(event=event, to=world.east, by=world.users["gavin"], note="需社区协调")
    event.refresh_from_db()
    assert event.owner == world.east
    assert alerts(world.users["carol"])[-1] == "事件转交给您：发现未报备返乡人员"
    assert EventLog.objects.filter(event=event, action="hand_over").exists()
    # and now the old owner can no longer act on it
    with pytest.raises(PermissionDenied):
        event_transition(event=event, action="respond", by=world.users["gavin"])


def test_event_with_a_reporter_closes_only_with_satisfaction(world):
    event = event_raise(
        kind="hotline_12345",
        title="楼道堆物",
        household=world.households["b"],
        source="12345-0302-0017",
        reporter_name="王女士",
        reporter_phone="13511112222",
    )
    assert event.reporter_phone_masked == "135****2222"
    alice = world.users["alice"]
    event_transition(event=event, action="respond", by=alice)
    event_transition(event=event, action="resolve", by=alice)

    with pytest.raises(ValidationError, match="satisf"):
        event_transition(event=event, action="close", by=alice)
    event_transition(
        event=event, action="close", by=alice, satisfaction=Event.Satisfaction.SATISFIED
    )

    event.refresh_from_db()
    assert (event.status, event.satisfaction) == (Event.Status.CLOSED, "satisfied")


def test_illegal_event_moves_are_refused(world):
    event = event_raise(kind="other", title="x", grid=world.grid_a, source="s")
    with pytest.raises(ValidationError, match="cannot close"):
        event_transition(event=event, action="close", by=world.users["alice"])


def test_rates_per_community_and_grid(world, settings):
    settings.WANGGE = {**settings.WANGGE, "EVENT_RESPONSE_SECONDS": 3600}
    alice = world.users["alice"]
    with time_machine.travel(T0, tick=False):
        quick = event_raise(
            kind="hotline_12345", title="a", grid=world.grid_a, source="s", reporter_name="甲"
        )
        slow = event_raise(
            kind="hotline_12345", title="b", grid=world.grid_a, source="s", reporter_name="乙"
        )
        event_raise(kind="hotline_12345", title="c", grid=world.grid_d, source="s")
    with time_machine.travel(T0 + timedelta(minutes=30), tick=False):
        event_transition(event=quick, action="resolve", by=alice)
        event_transition(event=quick, action="close", by=alice, satisfaction="satisfied")
    with time_machine.travel(T0 + timedelta(hours=3), tick=False):
        event_transition(event=slow, action="resolve", by=alice)
        event_transition(event=slow, action="close", by=alice, satisfaction="dissatisfied")

    by_grid = {row["name"]: row for row in event_rates(Event.objects.all(), "grid")}
    assert by_grid["东社区·第一网格"] == {
        "id": world.grid_a.pk,
        "name": "东社区·第一网格",
        "total": 2,
        "response_rate": 50.0,
        "resolution_rate": 100.0,
        "satisfaction_rate": 50.0,
    }
    assert by_grid["西社区·第四网格"]["response_rate"] == 0.0
    assert by_grid["西社区·第四网格"]["satisfaction_rate"] is None
    by_community = {
        row["name"]: row["total"] for row in event_rates(Event.objects.all(), "community")
    }
    assert by_community == {"东社区": 2, "西社区": 1}


def test_events_are_scoped(world):
    event_raise(kind="other", title="A", grid=world.grid_a, source="s")
    event_raise(kind="other", title="D", grid=world.grid_d, source="s")

    assert [e.title for e in Event.objects.restrict(world.users["gavin"])] == ["A"]
    assert [e.title for e in Event.objects.restrict(world.users["bella"])] == []
    assert sorted(e.title for e in Event.objects.restrict(world.users["alice"])) == ["A", "D"]


def test_unknown_kind_is_refused(world):
    with pytest.raises(ValidationError, match="unknown event kind"):
        event_raise(kind="meteor", title="x", grid=world.grid_a, source="s")
