"""Every service that changes a colour's inputs refreshes exactly the households it touched, in
its own transaction: measures (assign, release, automatic release and follow-on, early end,
transfer) and persons (registration, moving house, status)."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from wangge.measures.services import (
    measure_end_early,
    measure_release,
    measure_release_due,
    measure_transfer,
)
from wangge.people.services import PersonData, person_update
from wangge.regions.colours import colour_mismatches
from wangge.regions.models import Household, HouseholdColourChange
from wangge.regions.tests.colour_fixtures import add_member, colour_types, coloured, put_under

__all__ = ["colour_types", "coloured"]

START = datetime(2022, 7, 1, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def colour_of(household: Household) -> str:
    household.refresh_from_db()
    return household.colour


def changes(household: Household) -> list[tuple[str, str]]:
    rows = HouseholdColourChange.objects.filter(household=household, reason="measure")
    return list(rows.order_by("at", "pk").values_list("old", "new"))


def assert_consistent() -> None:
    assert list(colour_mismatches(Household.objects.all())) == []


def test_release_goes_straight_to_the_follow_on_colour(clock, coloured, colour_types):
    # given a member in home isolation (orange), followed by health monitoring (yellow)
    alice = coloured.users["alice"]
    household = coloured.households["a"]
    measure = put_under(alice, coloured.persons["zhang_san"], colour_types["orange"])
    assert colour_of(household) == "orange"

    # when released at the end
    clock.shift(timedelta(days=7))
    measure_release(by=alice, measure=measure)

    # then the household turns yellow at once, without a green moment in its history
    assert colour_of(household) == "yellow"
    assert changes(household) == [("green", "orange"), ("orange", "yellow")]
    assert_consistent()


def test_automatic_release_recolours_every_released_household(clock, coloured, colour_types):
    alice = coloured.users["alice"]
    put_under(alice, coloured.persons["zhang_san"], colour_types["orange"])
    put_under(alice, coloured.persons["zhao_liu"], colour_types["red"])

    clock.shift(timedelta(days=7))
    result = measure_release_due()

    assert result == {"released": 2, "followed_on": 1}
    assert colour_of(coloured.households["a"]) == "yellow"
    assert colour_of(coloured.households["d"]) == "green"
    assert_consistent()


def test_early_end_and_transfer(clock, coloured, colour_types):
    alice = coloured.users["alice"]
    first = put_under(alice, coloured.persons["li_si"], colour_types["yellow"])
    measure_end_early(by=alice, measure=first, reason="误判")
    assert colour_of(coloured.households["a1"]) == "green"

    second = put_under(alice, coloured.persons["wang_wu"], colour_types["yellow"])
    measure_transfer(
        by=alice,
        measure=second,
        reason="转为密接",
        destination="集中隔离点",
        measure_type=colour_types["red"],
    )
    assert colour_of(coloured.households["b"]) == "red"

    third = put_under(alice, coloured.persons["zhao_liu"], colour_types["orange"])
    measure_transfer(by=alice, measure=third, reason="送医", destination="定点医院")
    assert colour_of(coloured.households["d"]) == "green"
    assert_consistent()


def test_moving_house_recolours_both_homes(coloured, colour_types):
    # given 李四 under a red measure, the only member of his household
    alice = coloured.users["alice"]
    li_si = coloured.persons["li_si"]
    put_under(alice, li_si, colour_types["red"])
    old, new = coloured.households["a1"], coloured.households["b"]

    # when he moves in with 王五
    person_update(
        by=alice,
        person=li_si,
        data=PersonData(name="李四", id_type="resident", id_number=li_si.id_number),
        household=new,
    )

    # then his old home is empty and his new one is red
    assert colour_of(old) == "white"
    assert colour_of(new) == "red"
    assert_consistent()


def test_registering_the_first_member_turns_an_empty_home_green(coloured):
    household = Household.objects.create(
        building=coloured.households["b"].building,
        grid=coloured.grid_b,
        unit="1",
        floor=5,
        room="501",
    )
    assert colour_of(household) == "white"

    add_member(coloured.users["bella"], household)

    assert colour_of(household) == "green"
    change = HouseholdColourChange.objects.get(household=household)
    assert (change.old, change.new, change.reason, change.by) == (
        "white",
        "green",
        "person",
        coloured.users["bella"],
    )


def test_a_refresh_touches_only_the_households_named(
    coloured, colour_types, django_assert_max_num_queries
):
    from wangge.regions.colours import household_colours_refresh

    # given a wrong stored colour in another household
    Household.objects.filter(pk=coloured.households["d"].pk).update(colour="red")

    # when household a is refreshed (set-based: a handful of queries whatever the count)
    with django_assert_max_num_queries(6):
        household_colours_refresh(household_ids=[coloured.households["a"].pk], reason="measure")

    # then d keeps its (wrong) colour until its own inputs change or a recompute runs
    assert colour_of(coloured.households["d"]) == "red"


def test_a_roster_import_and_its_undo_recolour_the_homes_they_touch(coloured, tmp_path, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from wangge.people.importing.service import (
        roster_import_apply,
        roster_import_preview,
        roster_import_upload,
    )
    from wangge.people.importing.undo import roster_import_undo
    from wangge.people.tests.roster_files import person_row, write_roster

    # given carol's roster: 周一 in a new flat, and 李四 moving from a1 into household b
    settings.MEDIA_ROOT = tmp_path / "media"
    carol = coloured.users["carol"]
    path = write_roster(
        tmp_path / "roster.xlsx",
        [
            person_row(101, "周一", 楼栋="9幢", 房号="901"),
            person_row(2, "李四", 网格="第二网格", 楼栋="3幢", 单元="1", 房号="301"),
        ],
    )
    with path.open("rb") as handle:
        batch = roster_import_upload(
            by=carol, street_name="江南街道", upload=SimpleUploadedFile(path.name, handle.read())
        )
    roster_import_preview(batch=batch, by=carol)

    # when imported
    roster_import_apply(batch=batch, by=carol)

    # then the new flat is green, 李四's old home is empty, and nothing is stale
    new_home = Household.objects.get(building__name="9幢", room="901")
    assert colour_of(new_home) == "green"
    assert colour_of(coloured.households["a1"]) == "white"
    assert_consistent()

    # when undone, every colour goes back
    batch.refresh_from_db()
    roster_import_undo(batch=batch, by=carol)
    assert colour_of(coloured.households["a1"]) == "green"
    assert not Household.objects.filter(pk=new_home.pk).exists()
    assert_consistent()


def test_changing_a_measure_types_colour_recolours_the_homes_under_it(coloured, colour_types):
    from wangge.measures.services.rules import MeasureTypeData, measure_type_save

    # given 张三 under the yellow type
    put_under(coloured.users["alice"], coloured.persons["zhang_san"], colour_types["yellow"])
    yellow = colour_types["yellow"]
    assert colour_of(coloured.households["a"]) == "yellow"

    # when an administrator makes that type imply red
    measure_type_save(
        by=coloured.users["admin"],
        rule_set=yellow.rule_set,
        measure_type=yellow,
        data=MeasureTypeData(
            name=yellow.name,
            category=yellow.category,
            household_colour="red",
            duration_days=yellow.duration_days,
            test_days=[],
            checkin_times=[],
            release_needs_negative=False,
        ),
    )

    # then the household under it turns red at once
    assert colour_of(coloured.households["a"]) == "red"
    assert_consistent()
