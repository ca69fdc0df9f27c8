"""The big screen: only staff holding a whole street see it (and find it in the menu); its data
is the snapshots' figures beside three live counts, in the shape the page's script reads; and
neither the page nor the data carries one personal field of the fuller world."""

import json
import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from wangge.command.models import Event, Task, TaskAssignment, TaskKind
from wangge.command.services.events import event_raise
from wangge.core.navigation import menu_for
from wangge.people.models import Person
from wangge.regions.models import Household, Street
from wangge.reports.models import AreaFigures, Level, Snapshot
from wangge.reports.screen import screen_data, short_name
from wangge.reports.services import report_build

NOW = datetime(2026, 12, 7, 23, 59, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def clock():
    """A minute before midnight in Shanghai; asked for first, so the world is built then too."""
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def snapshot(world, day: date, figures: dict[tuple[str, int], dict[str, int]]) -> None:
    """A snapshot written by hand: the given areas' figures, every other area's empty."""
    taken = Snapshot.objects.create(street=world.street, day=day, built_at=NOW)
    areas = [(Level.STREET, world.street.pk)]
    areas += [(Level.COMMUNITY, c.pk) for c in (world.east, world.west)]
    areas += [(Level.GRID, g.pk) for g in (world.grid_a, world.grid_a1, world.grid_b, world.grid_d)]
    AreaFigures.objects.bulk_create(
        AreaFigures(
            snapshot=taken,
            day=day,
            level=level,
            area_id=pk,
            name=str(pk),
            figures=figures.get((level, pk), {}),
        )
        for level, pk in areas
    )


def get(client, user, name: str, **query: object):
    client.force_login(user)
    return client.get(reverse(f"reports:{name}"), query)


@pytest.mark.parametrize("name", ["screen", "screen_data"])
def test_only_staff_holding_a_whole_street_see_the_screen(client, world, name):
    # a grid worker, a community worker and checkpoint staff are refused
    for persona in ("gavin", "carol", "kim"):
        assert get(client, world.users[persona], name).status_code == 403
    # the street's commander gets her street, and no other
    alice = world.users["alice"]
    assert get(client, alice, name).status_code == 200
    other = Street.objects.create(name="江北街道", code="330783002")
    assert get(client, alice, name, street=other.pk).status_code == 403
    assert get(client, alice, name, street="x").status_code == 403
    # the administrator may pick any street
    assert get(client, world.users["admin"], name, street=other.pk).status_code == 200


def test_the_menu_offers_the_screen_to_whole_street_staff_only(world):
    def links(user) -> set[str]:
        return {link["url"] for group in menu_for(user, "/") for link in group["links"]}

    screen, daily = reverse("reports:screen"), reverse("reports:daily")
    assert {screen, daily} <= links(world.users["alice"])
    assert daily in links(world.users["carol"]) and screen not in links(world.users["carol"])


def test_the_page_is_a_frame_that_fetches_its_street(client, world):
    page = get(client, world.users["alice"], "screen")
    html = page.content.decode()
    assert f'data-url="{reverse("reports:screen_data")}?street={world.street.pk}"' in html
    assert 'data-refresh="60"' in html and "江南街道" in html
    assert "<script>" not in html  # the policy's rule: scripts by file only


def test_the_data_has_the_shape_the_script_reads(client, clock, world):
    answer = get(client, world.users["alice"], "screen_data")
    assert answer["Cache-Control"].startswith("max-age=0")
    data = answer.json()
    assert set(data) == {
        "street",
        "generated_at",
        "snapshot",
        "figures",
        "map",
        "trends",
        "areas",
    }
    assert data["street"] == {"id": world.street.pk, "name": "江南街道"}
    assert data["generated_at"] == "2026-12-07T23:59:00+08:00"
    assert data["snapshot"] is None  # nothing built yet: every snapshot figure is empty
    assert [f["key"] for f in data["figures"]] == [
        "measures",
        "new",
        "colours",
        "missed",
        "scans",
        "events_late",
    ]
    assert data["figures"][0]["values"] == [None] and data["figures"][-1]["values"] == [0]
    assert set(data["figures"][0]) == {
        "key",
        "label",
        "values",
        "changes",
        "as_of",
        "live",
        "alarm",
    }
    # the map: top grids only (not the small grid A1), by community
    communities = data["map"]["communities"]
    assert [(c["name"], [g["name"] for g in c["grids"]]) for c in communities] == [
        ("东社区", ["第一网格", "第二网格"]),
        ("西社区", ["第四网格"]),
    ]
    assert set(communities[0]["grids"][0]) == {"id", "name", "short", "value", "level", "red"}
    assert len(data["trends"]["days"]) == 14
    assert [chart["key"] for chart in data["trends"]["charts"]] == ["measures", "risk"]
    assert [c["key"] for c in data["areas"]["columns"]] == [
        "events_open",
        "events_late",
        "device_alerts",
        "tasks_late",
    ]


def test_the_figures_are_the_latest_snapshots_and_the_live_counts(clock, world):
    # given: two snapshots written by hand, the 6th the latest
    street = (Level.STREET, world.street.pk)
    snapshot(world, date(2026, 12, 5), {street: {"measures.active": 5, "colours.orange": 3}})
    snapshot(
        world,
        date(2026, 12, 6),
        {
            street: {
                "measures.active": 8,
                "measures.new": 3,
                "colours.red": 2,
                "colours.orange": 1,
            },
            (Level.GRID, world.grid_a.pk): {"measures.active": 6, "colours.red": 2},
            (Level.GRID, world.grid_a1.pk): {"measures.active": 2},
            (Level.GRID, world.grid_b.pk): {"measures.active": 2},
        },
    )
    # and live: an event of grid A unanswered for three hours, a device alarm in grid D ten
    # minutes old, a closed event, a task of grid B past its deadline and one completed
    late = event_raise(kind="grid_report", title="t", household=world.households["a"], source="s")
    Event.objects.filter(pk=late.pk).update(raised_at=NOW - timedelta(hours=3))
    event_raise(kind="device_alert", title="t", household=world.households["d"], source="s")
    closed = event_raise(kind="grid_report", title="t", household=world.households["b"], source="s")
    Event.objects.filter(pk=closed.pk).update(status=Event.Status.CLOSED)
    task = Task.objects.create(
        street=world.street, kind=TaskKind.objects.first(), title="t", issued_at=NOW
    )
    due = {"ack_due_at": NOW, "start_due_at": NOW, "feedback_due_at": NOW}
    TaskAssignment.objects.create(
        task=task, grid=world.grid_b, due_at=NOW - timedelta(hours=1), **due
    )
    TaskAssignment.objects.create(
        task=task,
        community=world.west,
        due_at=NOW - timedelta(hours=1),
        state=TaskAssignment.State.COMPLETED,
        **due,
    )

    # when
    data = screen_data(world.street, timezone.now())

    # then: the key figures of the 6th, with their change from the 5th
    figures = {f["key"]: f for f in data["figures"]}
    assert data["snapshot"]["day"] == "2026-12-06"
    assert (figures["measures"]["values"], figures["measures"]["changes"]) == ([8], [3])
    assert (figures["colours"]["values"], figures["colours"]["changes"]) == ([2, 1], [2, -2])
    assert figures["scans"]["values"] == [0] and figures["scans"]["as_of"] == "12-06"
    assert figures["events_late"] == {
        "key": "events_late",
        "label": "超时未响应事件",
        "values": [1],
        "changes": [None],
        "as_of": "实时",
        "live": True,
        "alarm": True,
    }
    # the map: each top grid coloured in four steps up to the largest value (6: steps of 2)
    tiles = {g["name"]: g for c in data["map"]["communities"] for g in c["grids"]}
    assert [(t["value"], t["level"], t["red"]) for t in tiles.values()] == [
        (6, 3, True),
        (2, 1, False),
        (0, 0, False),
    ]
    assert [e["text"] for e in data["map"]["legend"]] == ["0", "1–2", "3–4", "5–6"]
    # the trends: 14 days ending on the 6th, a day without a snapshot a gap
    active = data["trends"]["charts"][0]["series"][0]
    assert data["trends"]["days"][-1] == "12-06"
    assert active["data"][-3:] == [None, 5, 8]
    # the live counts by community, the most urgent first
    areas = data["areas"]
    assert [(row["name"], row["values"]) for row in areas["rows"]] == [
        ("东社区", {"events_open": 1, "events_late": 1, "device_alerts": 0, "tasks_late": 1}),
        ("西社区", {"events_open": 1, "events_late": 0, "device_alerts": 1, "tasks_late": 0}),
    ]
    assert areas["total"] == {
        "events_open": 2,
        "events_late": 1,
        "device_alerts": 1,
        "tasks_late": 1,
    }


def test_a_grids_tile_shows_its_number_or_a_short_name():
    assert [short_name(n) for n in ("第十二网格", "第3网格", "阳光网格", "网格")] == [
        "12",
        "3",
        "阳光",
        "网格",
    ]


def test_neither_page_nor_data_shows_anything_personal(client, clock, fuller_world):
    # given: the fuller world's snapshots of yesterday and today
    w = fuller_world
    for day in (NOW.date() - timedelta(days=1), NOW.date()):
        report_build(street=w.street, on=day)
    client.force_login(w.users["alice"])
    page = client.get(reverse("reports:screen")).content.decode()
    data = client.get(reverse("reports:screen_data")).content.decode()
    assert json.loads(data)["figures"][0]["values"] == [1]  # Zhang San, counted, not named
    # then: no name, ID number, phone, room or household of anyone in the world (the register,
    # the restaurant's owner and its address, the volunteer)
    personal = {"王老板", "阳光路1号", "13800138000", "钱医", "13811110001"}
    for person in Person.objects.all():
        personal |= {person.name, person.id_number, person.phone, person.id_number[-6:]}
    for household in Household.objects.select_related("building__compound"):
        personal |= {str(household), household.dwelling_label, household.building.compound.name}
    for text in (page, data):
        found = [p for p in personal if p and p in text]
        assert found == []
        assert not re.search(r"(?<!\d)(101|201|301)(?!\d)", text)  # the world's rooms
