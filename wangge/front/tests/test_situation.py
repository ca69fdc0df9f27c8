"""The commander's home: each number against the hand-built morning of conftest.py, scoped to the
commander's area, set-based, and linked to the list that shows exactly the counted rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conftest import _person
from wangge.front.tests.conftest import at
from wangge.front.tiles import TILE_SOURCES, tiles_for
from wangge.front.today import Tile, Today
from wangge.front.trends import charts

STREET = {
    "colour-red": 1,
    "colour-orange": 1,
    "colour-yellow": 1,
    "colour-green": 0,
    "colour-white": 1,
    "cases-new": 1,
    "measures-active": 3,
    "measures-ending": 2,
    "checkins-missed": 3,
    "checkins-fever": 2,
    "device-alerts": 1,
    "coverage": "50.0%",
    "untested": 2,
    "scans": 5,
    "tasks-late": 2,
    "events-open": 1,
    "events-responded": 1,
}
EAST = {
    **STREET,
    "colour-yellow": 0,
    "measures-active": 2,
    "measures-ending": 1,
    "checkins-missed": 2,
    "checkins-fever": 1,
    "coverage": "33.3%",
    "scans": 4,
    "tasks-late": 1,
    "events-responded": 0,
}


def tiles_of(client, user) -> dict[str, Tile]:
    client.force_login(user)
    response = client.get(reverse("front:home"))
    assert response.status_code == 200
    return {tile.key: tile for tile in response.context["situation"]["tiles"]}


def test_the_street_commander_sees_each_number_of_the_street(client, day):
    # when
    tiles = tiles_of(client, day.world.users["alice"])

    # then
    assert {key: tile.value for key, tile in tiles.items()} == STREET


def test_a_community_commander_sees_only_their_communitys_numbers(client, day):
    # when: Cora commands 东社区; 赵六, household d, 江景苑南门 and grid D lie in 西社区
    tiles = tiles_of(client, day.world.users["cora"])

    # then
    assert {key: tile.value for key, tile in tiles.items()} == EAST


def test_colour_tiles_say_the_change_since_the_end_of_yesterday(client, day):
    tiles = tiles_of(client, day.world.users["alice"])

    assert tiles["colour-red"].note == "较昨日 +1"
    assert tiles["colour-white"].note == "较昨日 -1"
    assert tiles["colour-orange"].note == "与昨日持平"


def test_fever_alerts_leave_the_24_hours_as_the_clock_moves(client, day):
    # given: 张三's flagged check-in was yesterday at 09:00
    day.clock.move_to("2022-07-01 09:30 +08:00")

    # when
    tiles = tiles_of(client, day.world.users["alice"])

    # then: only 赵六's of today 07:00 is left
    assert tiles["checkins-fever"].value == 1


def test_without_a_round_today_coverage_says_so_and_links_to_testing(client, day):
    # given: the next morning, when the round has ended
    day.clock.move_to("2022-07-02 07:30 +08:00")

    tiles = tiles_of(client, day.world.users["alice"])

    assert tiles["coverage"].value == "—"
    assert tiles["coverage"].url == reverse("testing:index")
    assert "untested" not in tiles


def test_trends_are_read_back_from_dated_records(day):
    # when
    data = charts(Today(user=day.world.users["alice"], now=timezone.now()))

    # then: 14 days from 06-18 to 07-01
    assert data["days"][0] == "06-18" and data["days"][-1] == "07-01"
    red, orange, yellow = (series["data"] for series in data["colours"])
    assert red == [0] * 13 + [1]
    assert orange == [0] * 12 + [1, 1]
    assert yellow == [0] * 10 + [1] * 4
    # 李四 06-20 → released 06-27; 王五 and 赵六 from 06-24; 张三 from 06-25
    assert data["measures"] == [0, 0, 1, 1, 1, 1, 3, 4, 4, 3, 3, 3, 3, 3]
    assert data["missed"] == [0] * 12 + [1, 2]
    assert data["fevers"] == [0] * 11 + [1, 1, 1]
    assert data["scans"] == [0] * 12 + [1, 5]
    assert data["events"] == [0] * 12 + [1, 1]
    assert sum(data["hourly"]["in"]) == 3 and data["hourly"]["denied"][7] == 1


def test_trends_are_scoped_to_the_commanders_area(day):
    data = charts(Today(user=day.world.users["cora"], now=timezone.now()))

    assert data["colours"][2]["data"] == [0] * 14  # 西社区's yellow household is not counted
    assert data["measures"][-1] == 2
    assert data["scans"][-1] == 4 and data["events"] == [0] * 13 + [1]


def _listed(client, url: str):
    response = client.get(url)
    assert response.status_code == 200
    return response.context


LISTED = {
    "colour": lambda context: context["page"].paginator.count,
    "measures": lambda context: context["page"].paginator.count,
    "checkins-missed": lambda context: len(context["board"].overdue),
    "checkins-fever": lambda context: len(context["board"].fevers),
    "coverage": lambda context: f"{context['total'].percent}%",
    "untested": lambda context: context["page"].paginator.count,
    "scans": lambda context: context["report"].totals.scans_in + context["report"].totals.scans_out,
    "tasks-late": lambda context: context["board"].late_total,
    "events": lambda context: context["page"].paginator.count,
    "cases": lambda context: context["page"].paginator.count,
    "device": lambda context: sum(a.kind == "intrusion" for a in context["alerts"]),
}


@pytest.mark.parametrize("persona", ["alice", "cora"])
def test_every_number_links_to_a_list_that_shows_the_counted_rows(client, day, persona):
    tiles = tiles_of(client, day.world.users[persona])

    for key, tile in tiles.items():
        count = LISTED.get(key) or LISTED[key.split("-")[0]]
        assert count(_listed(client, tile.url)) == tile.value, key


def test_cases_count_today_and_the_week_and_device_alarms_the_last_24_hours(client, day):
    # given the street's cases (today, 3 and 14 days ago) and device alerts (1, 11 and 46 hours ago)
    tiles = tiles_of(client, day.world.users["alice"])

    # then today's case and this morning's door count; the note names the week and the upkeep
    assert (tiles["cases-new"].value, tiles["cases-new"].note) == (1, "近7日 2")
    assert (tiles["device-alerts"].value, tiles["device-alerts"].note) == (1, "设备维护 1")

    # and for the commander of 东社区, 西社区's case and low battery are not there
    east = tiles_of(client, day.world.users["cora"])
    assert (east["cases-new"].note, east["device-alerts"].note) == ("近7日 1", "设备维护 0")

    # and once the door alarm is more than 24 hours old, it leaves the tile
    day.clock.move_to(at(7, 2, 6, 1))
    assert tiles_of(client, day.world.users["alice"])["device-alerts"].value == 0


def test_the_red_link_lists_the_red_household_itself(client, day):
    tiles = tiles_of(client, day.world.users["alice"])

    listed = list(_listed(client, tiles["colour-red"].url)["page"])

    assert listed == [day.world.households["a"]]


def test_the_ending_today_link_lists_the_measures_ending_today(client, day):
    tiles = tiles_of(client, day.world.users["alice"])

    listed = set(_listed(client, tiles["measures-ending"].url)["page"])

    assert listed == {day.measures["wang_wu"], day.measures["zhao_liu"]}


def test_the_page_draws_every_tile_as_a_link_and_the_chart_data(client, day):
    client.force_login(day.world.users["alice"])

    page = client.get(reverse("front:home")).text

    for key in STREET:
        assert f'data-testid="tile-{key}"' in page
    assert 'id="situation-data"' in page
    assert "vendor/echarts.min.js" in page


def test_a_new_tile_is_one_entry_in_the_list(client, day, monkeypatch):
    # given: a source added to the list, as the cases and device tiles will be
    def extra(today: Today) -> list[Tile]:
        return [Tile("extra", "新增病例", 7, reverse("measures:list"), tone="danger")]

    monkeypatch.setattr("wangge.front.tiles.TILE_SOURCES", [*TILE_SOURCES, extra])
    client.force_login(day.world.users["alice"])

    # when
    page = client.get(reverse("front:home")).text

    # then: the page draws it like every other tile
    assert 'data-testid="tile-extra"' in page and "新增病例" in page


def test_the_numbers_take_the_same_queries_however_many_rows(client, day):
    # given: the query count for the hand-built morning
    alice = type(day.world.users["alice"]).objects.get(username="alice")
    with CaptureQueriesContext(connection) as baseline:
        tiles_for(Today(user=alice, now=timezone.now()))
        charts(Today(user=alice, now=timezone.now()))
    # when: three more grids with a household each, under a measure with a missed check-in
    from wangge.measures.models import CheckInSlot, PersonMeasure
    from wangge.regions.models import Building, Grid, Household

    template = day.measures["wang_wu"]
    for number in range(3):
        grid = Grid.objects.create(community=day.world.west, name=f"新网格{number}")
        building = Building.objects.create(
            compound=day.world.households["d"].building.compound, grid=grid, name=f"{number + 5}幢"
        )
        household = Household.objects.create(building=building, grid=grid, room="101")
        person = _person(household, f"新人{number}", 100 + number)
        measure = PersonMeasure.objects.create(
            person=person,
            measure_type=template.measure_type,
            start=template.start,
            end=template.end,
            reason="密接",
        )
        CheckInSlot.objects.create(measure=measure, due_at=timezone.now(), status="missed")
    # then
    alice = type(alice).objects.get(pk=alice.pk)
    with CaptureQueriesContext(connection) as grown:
        tiles = tiles_for(Today(user=alice, now=timezone.now()))
        charts(Today(user=alice, now=timezone.now()))
    assert len(grown.captured_queries) == len(baseline.captured_queries)
    assert {tile.key: tile.value for tile in tiles}["measures-active"] == 6


def test_the_situation_speaks_english_after_the_switch(client, day):
    client.force_login(day.world.users["alice"])
    client.post(reverse("set_language"), {"language": "en", "next": "/"})

    page = client.get(reverse("front:home")).text

    assert "Today&#x27;s situation" in page or "Today's situation" in page
    assert "+1 since yesterday" in page and "Fever alerts (24 h)" in page
