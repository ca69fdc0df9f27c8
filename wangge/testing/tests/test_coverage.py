"""Coverage counting rules: the target population, what counts as tested, and scoping."""

from datetime import date

import pytest

from conftest import _person
from wangge.testing.selectors.coverage import coverage_total, round_coverage, untested
from wangge.testing.services import round_create, round_mark
from wangge.testing.services.lab.importing import results_import
from wangge.testing.tests.conftest import lab_row, local

pytestmark = pytest.mark.django_db


def totals(round, user) -> tuple[int, int]:
    total = coverage_total(round_coverage(round, user, "grid"))
    return total.target, total.tested


def test_the_target_is_everyone_present_in_the_scope(world, east_round):
    # 张三 (grid A), 李四 (A1), 王五 (B) live in 东社区; 赵六 lives in 西社区
    assert totals(east_round, world.users["alice"]) == (3, 0)


def test_persons_away_in_the_register_are_not_targeted(world, east_round):
    world.persons["li_si"].status = "away"
    world.persons["li_si"].save()

    assert totals(east_round, world.users["alice"]) == (2, 0)


def test_marks_away_bedridden_and_exempt_exclude_but_notified_and_refused_do_not(world, east_round):
    gavin, bella = world.users["gavin"], world.users["bella"]
    round_mark(
        by=gavin, round=east_round, person=world.persons["zhang_san"], kind="away", note="在杭州"
    )
    round_mark(by=gavin, round=east_round, person=world.persons["li_si"], kind="refused", note="")
    round_mark(by=bella, round=east_round, person=world.persons["wang_wu"], kind="notified")

    assert totals(east_round, world.users["alice"]) == (2, 0)

    round_mark(
        by=bella, round=east_round, person=world.persons["wang_wu"], kind="bedridden", note="瘫痪"
    )
    assert totals(east_round, world.users["alice"]) == (1, 0)


def test_an_excluding_mark_needs_a_reason(world, east_round):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="reason"):
        round_mark(
            by=world.users["gavin"],
            round=east_round,
            person=world.persons["zhang_san"],
            kind="exempt",
        )


def test_the_age_limit_counts_whole_years_on_the_first_day(world):
    # given one person turning 42 on the round's first day and one turning 42 the day after
    household = world.households["a"]
    on_day = _person(household, "整岁", 40)
    on_day.birth_date = date(1980, 4, 10)
    on_day.save()
    day_after = _person(household, "差一天", 41)
    day_after.birth_date = date(1980, 4, 11)
    day_after.save()
    unknown = _person(household, "无生日", 42)
    unknown.birth_date = None
    unknown.save()

    round = round_create(
        by=world.users["alice"],
        street=world.street,
        name="42岁以上",
        starts_at=local(2022, 4, 10, 6, 0),
        ends_at=local(2022, 4, 10, 22, 0),
        min_age=42,
    )

    names = set(untested(round, world.users["alice"]).values_list("name", flat=True))
    assert names == {"整岁", "无生日"}


def test_tested_means_a_result_in_the_round_that_is_not_invalid(world, lab_file, east_round):
    results_import(
        path=lab_file(
            [
                lab_row(serial=1, tube="A", result="阴性"),
                lab_row(serial=2, tube="B", result="无效"),
                lab_row(
                    serial=3, tube="C", sampled="2022-04-11 09:00"
                ),  # after the window: routine
            ]
        )
    )

    assert totals(east_round, world.users["alice"]) == (3, 1)
    assert set(untested(east_round, world.users["alice"]).values_list("name", flat=True)) == {
        "李四",
        "王五",
    }


def test_an_out_of_scope_person_is_stored_but_not_counted(world, lab_file, east_round):
    results_import(path=lab_file([lab_row(name="赵六", serial=4)]), round=east_round)

    assert totals(east_round, world.users["alice"]) == (3, 0)


def test_coverage_by_community_grid_and_building(world, lab_file, east_round):
    results_import(path=lab_file([lab_row(serial=1, tube="A"), lab_row(serial=3, tube="B")]))
    alice = world.users["alice"]

    by_community = [
        (r.label, r.target, r.tested, r.untested)
        for r in round_coverage(east_round, alice, "community")
    ]
    by_grid = {
        r.label: (r.target, r.tested, r.percent) for r in round_coverage(east_round, alice, "grid")
    }
    by_building = {
        r.label: (r.target, r.tested) for r in round_coverage(east_round, alice, "building")
    }

    assert by_community == [("东社区", 3, 2, 1)]
    assert by_grid == {
        "第一网格": (1, 1, 100.0),
        "第一网格一小格": (1, 0, 0.0),
        "第二网格": (1, 1, 100.0),
    }
    assert by_building == {"阳光花园1幢": (1, 1), "阳光花园2幢": (1, 0), "阳光花园3幢": (1, 1)}


def test_a_grid_worker_counts_and_lists_only_their_grids(world, lab_file, east_round):
    results_import(path=lab_file([lab_row(serial=1, tube="A")]))

    assert totals(east_round, world.users["gavin"]) == (2, 1)  # grid A and its small grid A1
    assert list(untested(east_round, world.users["gavin"]).values_list("name", flat=True)) == [
        "李四"
    ]
    assert list(untested(east_round, world.users["bella"]).values_list("name", flat=True)) == [
        "王五"
    ]
    assert totals(east_round, world.users["kim"]) == (0, 0)


def test_the_untested_list_shows_the_latest_mark(world, east_round):
    round_mark(
        by=world.users["gavin"],
        round=east_round,
        person=world.persons["li_si"],
        kind="refused",
        note="不配合",
    )
    round_mark(
        by=world.users["gavin"],
        round=east_round,
        person=world.persons["li_si"],
        kind="notified",
        note="已电话",
    )

    person = untested(east_round, world.users["gavin"]).get(name="李四")

    assert (person.mark_kind, person.mark_note) == ("notified", "已电话")


def test_a_district_round_covers_every_street_of_the_district(world, lab_file):
    from django.core.exceptions import PermissionDenied

    from conftest import _person
    from wangge.regions.models import (
        Building,
        Community,
        Compound,
        District,
        Grid,
        Household,
        Street,
    )

    # given a second street of the same district, with one resident
    district = District.objects.create(name="婺城区", code="330702")
    world.street.district = district
    world.street.save()
    north = Street.objects.create(name="北站街道", district=district)
    grid = Grid.objects.create(
        community=Community.objects.create(street=north, name="北社区"), name="北一网格"
    )
    building = Building.objects.create(
        compound=Compound.objects.create(community=grid.community, name="北苑"),
        grid=grid,
        name="1幢",
    )
    _person(Household.objects.create(building=building, grid=grid, room="101"), "钱七", 70)
    with pytest.raises(PermissionDenied):
        round_create(
            by=world.users["alice"],
            street=world.street,
            name="全区",
            scope="district",
            starts_at=local(2022, 4, 10, 6),
            ends_at=local(2022, 4, 10, 22),
        )

    # when the administrator sets up the district's round
    district_round = round_create(
        by=world.users["admin"],
        street=world.street,
        name="婺城区全员核酸",
        scope="district",
        starts_at=local(2022, 4, 10, 6),
        ends_at=local(2022, 4, 10, 22),
    )

    # then it targets both streets, and each street's commander counts their own
    assert totals(district_round, world.users["admin"]) == (5, 0)
    assert totals(district_round, world.users["alice"]) == (4, 0)
    from wangge.testing.models import NucleicRound

    assert NucleicRound.objects.restrict(world.users["gavin"]).filter(pk=district_round.pk).exists()
