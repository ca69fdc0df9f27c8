"""Every counting rule of the venue import (issue 15, decided): each data row counts once in
created, updated, unchanged or rejected; `warnings` counts the rows imported with a warning."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from wangge.regions.models import Community, Grid, Street
from wangge.venues.models import EventKind, Venue, VenueKind
from wangge.venues.services.register import VenueData, venue_create
from wangge.venues.tests.venue_files import (
    BAD_USCC,
    OTHER_USCC,
    VALID_USCC,
    venue_row,
    write_venues,
)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def imported(tmp_path, rows, name="v.csv", *args):
    path = write_venues(tmp_path / name, rows)
    out = StringIO()
    call_command("import_venues", str(path), "--street", "江南街道", *args, stdout=out)
    return json.loads(out.getvalue().strip().splitlines()[-1])


def counts(result):
    return tuple(result[key] for key in ("created", "updated", "unchanged", "rejected"))


def stored(world, name, uscc="", grid=None, **fields):
    data = VenueData(
        name=name,
        kind=VenueKind.objects.get(name="餐饮店"),
        grid=grid or world.grid_a,
        uscc=uscc,
        address="江南路1号",
        **fields,
    )
    return venue_create(by=None, data=data)


def test_each_row_counts_once_and_the_same_file_again_is_all_unchanged(world, tmp_path):
    rows = [
        venue_row("老王饭店", 统一社会信用代码=VALID_USCC),
        venue_row("好又多超市", 类别="超市"),
        venue_row("", 类别="餐饮店"),
    ]

    first = imported(tmp_path, rows)
    again = imported(tmp_path, rows)

    assert counts(first) == (2, 0, 0, 1)
    assert counts(again) == (0, 0, 2, 1)
    assert Venue.objects.count() == 2


def test_a_venue_is_the_same_by_its_uscc_whatever_its_name(world, tmp_path):
    venue = stored(world, "老王饭店", uscc=VALID_USCC)

    result = imported(tmp_path, [venue_row("王记饭店", 统一社会信用代码=VALID_USCC)])

    assert counts(result) == (0, 1, 0, 0)
    venue.refresh_from_db()
    assert venue.name == "王记饭店"
    line = venue.events.get(kind=EventKind.IMPORTED)
    assert line.changes["name"] == ["老王饭店", "王记饭店"]


def test_without_a_uscc_a_venue_is_the_same_by_name_and_grid(world, tmp_path):
    venue = stored(world, "老王饭店")

    result = imported(
        tmp_path,
        [venue_row("老王饭店", 负责人="王五"), venue_row("老王饭店", 网格="第二网格")],
    )

    assert counts(result) == (1, 1, 0, 0)
    venue.refresh_from_db()
    assert venue.responsible_name == "王五"
    assert Venue.objects.filter(name="老王饭店", grid=world.grid_b).exists()


def test_a_new_uscc_is_given_to_the_venue_of_that_name_and_grid_that_has_none(world, tmp_path):
    venue = stored(world, "老王饭店")

    result = imported(tmp_path, [venue_row("老王饭店", 统一社会信用代码=VALID_USCC)])

    assert counts(result) == (0, 1, 0, 0)
    venue.refresh_from_db()
    assert venue.uscc == VALID_USCC


def test_missing_name_unknown_kind_and_areas_outside_the_street_are_rejected(world, tmp_path):
    elsewhere = Street.objects.create(name="城北街道")
    Grid.objects.create(
        community=Community.objects.create(street=elsewhere, name="北社区"), name="北一网格"
    )
    rows = [
        venue_row(""),
        venue_row("甲", 类别="宇宙飞船"),
        venue_row("乙", 社区="北社区", 网格="北一网格"),
        venue_row("丙", 网格="第四网格"),  # 西社区's grid, named under 东社区
        venue_row("丁", 类别="饭馆"),  # a synonym of 餐饮店
    ]

    result = imported(tmp_path, rows)

    assert counts(result) == (1, 0, 0, 4)
    assert list(Venue.objects.values_list("name", "kind__name")) == [("丁", "餐饮店")]


def test_a_uscc_failing_its_check_is_left_out_with_a_warning_naming_it(world, tmp_path):
    result = imported(tmp_path, [venue_row("老王饭店", 统一社会信用代码=BAD_USCC)])

    assert counts(result) == (1, 0, 0, 0) and result["warnings"] == 1
    assert Venue.objects.get().uscc == ""
    from openpyxl import load_workbook

    notes = load_workbook(result["report"])["提示"]
    assert BAD_USCC in notes.cell(row=2, column=2).value


def test_a_left_out_uscc_matches_by_name_and_grid_and_never_clears_a_stored_one(world, tmp_path):
    venue = stored(world, "老王饭店", uscc=VALID_USCC)

    result = imported(tmp_path, [venue_row("老王饭店", 统一社会信用代码=BAD_USCC)])

    assert counts(result) == (0, 0, 1, 0) and result["warnings"] == 1
    venue.refresh_from_db()
    assert venue.uscc == VALID_USCC
    assert Venue.objects.count() == 1


def test_an_unreadable_phone_is_left_out_with_a_warning(world, tmp_path):
    venue = stored(world, "老王饭店", responsible_phone="13800001111")

    result = imported(tmp_path, [venue_row("老王饭店", 负责人电话="12345")])

    assert counts(result) == (0, 0, 1, 0) and result["warnings"] == 1
    venue.refresh_from_db()
    assert venue.responsible_phone == "13800001111"


def test_a_row_repeating_an_earlier_row_exactly_is_unchanged(world, tmp_path):
    row = venue_row("老王饭店", 统一社会信用代码=BAD_USCC)

    result = imported(tmp_path, [row, dict(row)])

    assert counts(result) == (1, 0, 1, 0) and result["warnings"] == 2
    assert Venue.objects.count() == 1


def test_the_same_venue_twice_with_different_values_rejects_both(world, tmp_path):
    rows = [
        venue_row("老王饭店", 统一社会信用代码=VALID_USCC, 地址="江南路1号"),
        venue_row("王记", 统一社会信用代码=VALID_USCC, 地址="江南路2号"),
        venue_row("好又多", 地址="一号"),
        venue_row("好又多", 地址="二号"),
    ]

    result = imported(tmp_path, rows)

    assert counts(result) == (0, 0, 0, 4)
    assert not Venue.objects.exists()


def test_a_uscc_registered_in_another_street_is_rejected(world, tmp_path):
    elsewhere = Street.objects.create(name="城北街道")
    grid = Grid.objects.create(
        community=Community.objects.create(street=elsewhere, name="北社区"), name="北一网格"
    )
    stored(world, "北店", uscc=OTHER_USCC, grid=grid)

    result = imported(tmp_path, [venue_row("老王饭店", 统一社会信用代码=OTHER_USCC)])

    assert counts(result) == (0, 0, 0, 1)
    assert Venue.objects.filter(grid__community__street=world.street).count() == 0


def test_several_venues_of_one_name_in_a_grid_need_the_uscc(world, tmp_path):
    stored(world, "连锁药店", uscc=VALID_USCC)
    stored(world, "连锁药店", uscc=OTHER_USCC)

    result = imported(tmp_path, [venue_row("连锁药店", 地址="新地址")])

    assert counts(result) == (0, 0, 0, 1)


def test_a_blank_cell_keeps_the_stored_value(world, tmp_path):
    venue = stored(world, "老王饭店", responsible_name="王五", staff_count=8)

    result = imported(tmp_path, [venue_row("老王饭店", 负责人="", 从业人数="")])

    assert counts(result) == (0, 0, 1, 0)
    venue.refresh_from_db()
    assert (venue.responsible_name, venue.staff_count) == ("王五", 8)


def test_created_venues_get_a_timeline_line_and_the_import_is_audited(world, tmp_path):
    from wangge.core.models import AuditEntry

    imported(tmp_path, [venue_row("老王饭店")])

    venue = Venue.objects.get()
    assert venue.events.get().kind == EventKind.CREATED
    entry = AuditEntry.objects.get(action="import", target_type="venues.venueimport")
    assert entry.changes["created"] == 1


def test_dry_run_writes_nothing_but_the_report(world, tmp_path):
    from wangge.core.jobs.models import Job
    from wangge.core.models import AuditEntry

    before = (AuditEntry.objects.count(), Job.objects.count())

    result = imported(tmp_path, [venue_row("老王饭店"), venue_row("")], "v.csv", "--dry-run")

    assert counts(result) == (1, 0, 0, 1)
    assert result["report"] and Venue.objects.count() == 0
    assert (AuditEntry.objects.count(), Job.objects.count()) == before
