"""The counting rules of issue 3, one test each: created, updated, unchanged, rejected."""

import pytest

from conftest import make_id_number
from wangge.people.importing import pipeline
from wangge.people.importing.service import roster_import_file
from wangge.people.models import Person
from wangge.people.tests.roster_files import person_row, write_roster

STREET = "江南街道"
GOOD_ID = make_id_number(101)
WRONG_CHECK_DIGIT = GOOD_ID[:17] + ("1" if GOOD_ID[17] != "1" else "2")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def run(path, dry_run=False):
    return roster_import_file(path=path, street_name=STREET, dry_run=dry_run)


def add_up(counts):
    return counts["created"] + counts["updated"] + counts["unchanged"] + counts["rejected"]


def test_new_ids_are_created_and_every_row_counted_once(world, tmp_path):
    # given
    rows = [person_row(101, "周一"), person_row(102, "吴二"), person_row(103, "郑三", 身份证号="1")]
    path = write_roster(tmp_path / "r.xlsx", rows)

    # when
    outcome = run(path)

    # then
    assert outcome.counts == {
        "created": 2,
        "updated": 0,
        "unchanged": 0,
        "rejected": 1,
        "warnings": 0,
    }
    assert add_up(outcome.counts) == 3
    assert Person.objects.filter(name__in=["周一", "吴二"]).count() == 2


def test_reimporting_the_same_file_creates_and_updates_nothing(world, tmp_path):
    rows = [person_row(101, "周一", 标签="党员、楼栋长"), person_row(102, "吴二", 单元="2")]
    path = write_roster(tmp_path / "r.xlsx", rows)
    run(path)

    outcome = run(path)

    assert outcome.counts == {
        "created": 0,
        "updated": 0,
        "unchanged": 2,
        "rejected": 0,
        "warnings": 0,
    }


def test_known_id_with_a_new_phone_is_updated(world, tmp_path):
    # given 张三 is registered in grid A, household a (阳光花园 1幢 1单元 101)
    row = person_row(1, "张三", 小区="阳光花园", 楼栋="1幢", 单元="1", 房号="101")
    row["联系电话"] = "13911112222"
    path = write_roster(tmp_path / "r.xlsx", [row])

    # when
    outcome = run(path)

    # then
    assert outcome.counts["updated"] == 1
    zhang = Person.objects.get(pk=world.persons["zhang_san"].pk)
    assert zhang.phone == "13911112222"
    assert zhang.household_id == world.households["a"].pk


def test_known_id_with_nothing_new_is_unchanged(world, tmp_path):
    row = person_row(1, "张三", 小区="阳光花园", 楼栋="1幢", 单元="1", 房号="101")
    row["联系电话"] = "13800001111"
    path = write_roster(tmp_path / "r.xlsx", [row])

    outcome = run(path)

    assert outcome.counts == {
        "created": 0,
        "updated": 0,
        "unchanged": 1,
        "rejected": 0,
        "warnings": 0,
    }


def test_a_row_identical_to_an_earlier_row_is_unchanged(world, tmp_path):
    row = person_row(101, "周一")
    path = write_roster(tmp_path / "r.xlsx", [row, dict(row)])

    outcome = run(path)

    assert outcome.counts == {
        "created": 1,
        "updated": 0,
        "unchanged": 1,
        "rejected": 0,
        "warnings": 0,
    }


def test_same_id_same_name_and_household_apply_in_file_order(world, tmp_path):
    # given the second row gives a new phone to the person the first row creates
    first = person_row(101, "周一")
    second = person_row(101, "周一", 联系电话="13322223333")
    path = write_roster(tmp_path / "r.xlsx", [first, second])

    # when
    outcome = run(path)

    # then
    assert outcome.counts == {
        "created": 1,
        "updated": 1,
        "unchanged": 0,
        "rejected": 0,
        "warnings": 0,
    }
    assert Person.objects.get(name="周一").phone == "13322223333"


@pytest.mark.parametrize("differing", [{"姓名": "周二"}, {"房号": "102"}])
def test_both_rows_sharing_an_id_but_differing_in_name_or_household_are_rejected(
    world, tmp_path, differing
):
    first = person_row(101, "周一")
    second = {**person_row(101, "周一"), **differing}
    path = write_roster(tmp_path / "r.xlsx", [first, second, person_row(102, "吴二")])

    outcome = run(path)

    assert outcome.counts == {
        "created": 1,
        "updated": 0,
        "unchanged": 0,
        "rejected": 2,
        "warnings": 0,
    }
    assert not Person.objects.filter(name__in=["周一", "周二"]).exists()
    assert "2、3" in outcome.first_errors[0]["reason"]


def test_known_id_under_another_name_is_rejected(world, tmp_path):
    row = person_row(1, "张叁", 小区="阳光花园", 楼栋="1幢", 单元="1", 房号="101")
    path = write_roster(tmp_path / "r.xlsx", [row])

    outcome = run(path)

    assert outcome.counts["rejected"] == 1
    assert "另一姓名" in outcome.first_errors[0]["reason"]
    assert Person.objects.get(pk=world.persons["zhang_san"].pk).name == "张三"


@pytest.mark.parametrize(
    ("cells", "column", "words"),
    [
        ({"身份证号": WRONG_CHECK_DIGIT}, "身份证号", "校验位"),
        ({"身份证号": ""}, "身份证号", "缺少证件号码"),
        ({"姓名": ""}, "姓名", "缺少姓名"),
        ({"联系电话": "12345"}, "联系电话", "无法识别的电话号码"),
        ({"出生日期": "1980-02-30"}, "出生日期", "出生日期无效"),
        ({"性别": "女"}, "性别", "性别与证件号码不符"),
        ({"标签": "党员、火星人"}, "标签", "未知标签"),
    ],
)
def test_bad_rows_are_rejected_with_row_column_and_reason(world, tmp_path, cells, column, words):
    row = person_row(101, "周一", **cells)
    path = write_roster(tmp_path / "r.xlsx", [person_row(102, "吴二"), row])

    outcome = run(path)

    assert outcome.counts == {
        "created": 1,
        "updated": 0,
        "unchanged": 0,
        "rejected": 1,
        "warnings": 0,
    }
    error = outcome.first_errors[0]
    assert error["row"] == 3
    assert error["column"] == column
    assert words in error["reason"]
    assert " / " in error["reason"]  # Chinese and English in one string


def test_blank_cells_keep_what_is_stored(world, tmp_path):
    # given a row for 张三 without phone or tags
    row = person_row(1, "张三", 小区="阳光花园", 楼栋="1幢", 单元="1", 房号="101", 联系电话="")
    path = write_roster(tmp_path / "r.xlsx", [row])

    outcome = run(path)

    assert outcome.counts["unchanged"] == 1
    zhang = Person.objects.get(pk=world.persons["zhang_san"].pk)
    assert zhang.phone == "13800001111"
    assert list(zhang.tags.values_list("code", flat=True)) == ["party_member"]


def test_tags_compare_as_sets(world, tmp_path):
    first = write_roster(tmp_path / "a.xlsx", [person_row(101, "周一", 标签="楼栋长、低保")])
    run(first)
    second = write_roster(tmp_path / "b.xlsx", [person_row(101, "周一", 标签="低保,楼栋长")])

    outcome = run(second)

    assert outcome.counts["unchanged"] == 1


def test_a_conflicting_row_rejected_for_another_reason_still_rejects_its_twin(world, tmp_path):
    # given the second row has another name and also a bad phone
    rows = [person_row(101, "周一"), person_row(101, "周二", 联系电话="12")]
    path = write_roster(tmp_path / "r.xlsx", rows)

    outcome = run(path)

    assert outcome.counts == {
        "created": 0,
        "updated": 0,
        "unchanged": 0,
        "rejected": 2,
        "warnings": 0,
    }


def test_dry_run_counts_what_the_import_then_does(world, tmp_path):
    rows = [
        person_row(101, "周一"),
        person_row(1, "张三", 联系电话="13911112222"),
        person_row(102, "吴二", 身份证号=""),
    ]
    path = write_roster(tmp_path / "r.xlsx", rows)

    dry = run(path, dry_run=True)
    real = run(path)

    assert dry.counts == real.counts


def test_a_large_import_refreshes_planner_statistics(world, tmp_path, monkeypatch):
    # given imports of one row count as large; ANALYZE really runs, and is seen to
    analyze, calls = pipeline._analyze, []

    def spy() -> None:
        calls.append("analyze")
        analyze()

    monkeypatch.setattr(pipeline, "ANALYZE_AFTER_ROWS", 1)
    monkeypatch.setattr(pipeline, "_analyze", spy)

    run(write_roster(tmp_path / "r.xlsx", [person_row(101, "周一")]))

    assert calls == ["analyze"]
