"""What files look like in the wild: encodings, title rows, 序号, blank rows, Excel's numbers, synonyms."""

import pytest
from openpyxl import Workbook, load_workbook

from conftest import make_id_number
from wangge.core.spreadsheets import cell_text
from wangge.people.importing.reader import RosterReadError, open_roster
from wangge.people.importing.service import roster_import_file
from wangge.people.models import Person
from wangge.people.tests.roster_files import person_row, write_roster
from wangge.regions.models import Household

STREET = "江南街道"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def run(path):
    return roster_import_file(path=path, street_name=STREET)


@pytest.mark.parametrize("encoding", ["gb18030", "utf-8-sig", "utf-8"])
def test_csv_in_gb18030_and_utf8_with_or_without_bom(world, tmp_path, encoding):
    # given a rare name character that GBK lacks but GB18030 has
    rows = [person_row(101, "王䶮"), person_row(102, "吴二")]
    path = write_roster(tmp_path / "r.csv", rows, encoding=encoding)

    outcome = run(path)

    assert outcome.counts["created"] == 2
    assert Person.objects.filter(name="王䶮").exists()


def test_title_row_serial_column_and_blank_rows_are_skipped(world, tmp_path):
    # given a title row, a 序号 column and a blank row after the first person
    rows = [
        {"序号": 1, **person_row(101, "周一")},
        {"序号": 2, **person_row(102, "吴二", 联系电话="x")},
    ]
    headers = [
        "序号",
        "姓名",
        "身份证号",
        "联系电话",
        "社区",
        "网格",
        "小区",
        "楼栋",
        "单元",
        "房号",
    ]
    path = write_roster(
        tmp_path / "r.xlsx", rows, headers=headers, title="东社区人员花名册", blank_rows_after=(0,)
    )

    outcome = run(path)

    # then the blank row is not counted and row numbers are the spreadsheet's
    assert outcome.counts == {
        "created": 1,
        "updated": 0,
        "unchanged": 0,
        "rejected": 1,
        "warnings": 0,
    }
    assert outcome.first_errors[0]["row"] == 5  # title 1, header 2, 周一 3, blank 4


def test_one_column_address_is_parsed_when_building_columns_are_absent(world, tmp_path):
    row = {
        "姓名": "周一",
        "身份证号": make_id_number(101),
        "社区": "东社区",
        "网格": "第一网格",
        "现住址": "阳光花园5号楼2单元1202室",
    }
    path = write_roster(tmp_path / "r.xlsx", [row])

    outcome = run(path)

    assert outcome.counts["created"] == 1
    household = Household.objects.get(members__name="周一")
    assert household.building.compound.name == "阳光花园"
    assert (household.building.name, household.unit, household.floor, household.room) == (
        "5幢",
        "2",
        12,
        "1202",
    )


def test_an_unreadable_address_is_rejected(world, tmp_path):
    row = {"姓名": "周一", "身份证号": make_id_number(101), "社区": "东社区", "网格": "第一网格"}
    path = write_roster(tmp_path / "r.xlsx", [{**row, "地址": "东边那栋"}])

    outcome = run(path)

    assert outcome.counts["rejected"] == 1
    assert outcome.first_errors[0]["column"] == "地址"


def test_synonym_headers_are_understood(world, tmp_path):
    row = {
        "姓名": "周一",
        "身份证号码": make_id_number(101),
        "手机号": "13900000101",
        "村": "东社区",
        "网格": "第一网格",
        "楼院": "阳光花园",
        "楼号": "6",
        "单元": "1单元",
        "门牌号": "101室",
        "居住类型": "常住",
        "人员标签": "楼栋长/低保",
        "户籍地址": "浙江省杭州市",
    }
    path = write_roster(tmp_path / "r.xlsx", [row])

    run(path)

    person = Person.objects.get(name="周一")
    assert person.phone == "13900000101"
    assert person.residence_type == Person.ResidenceType.PERMANENT
    assert sorted(person.tags.values_list("code", flat=True)) == ["building_leader", "low_income"]
    assert person.household.building.name == "6幢" and person.household.room == "101"
    assert person.native_place == "浙江省杭州市"


def test_an_id_that_excel_turned_into_a_number_is_rejected_never_repaired(world, tmp_path):
    # given the ID typed into a number cell: Excel keeps 15 significant digits
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["姓名", "身份证号", "联系电话", "社区", "网格", "楼栋", "房号"])
    sheet.append(
        ["周一", float(make_id_number(101)), 13900000101, "东社区", "第一网格", "5", "101"]
    )
    sheet.append(["吴二", "3.30102198005172E+17", "13900000102", "东社区", "第一网格", "5", "102"])
    path = tmp_path / "r.xlsx"
    workbook.save(path)

    outcome = run(path)

    assert outcome.counts["rejected"] == 2
    assert all("Excel" in error["reason"] for error in outcome.first_errors)
    assert not Person.objects.filter(name__in=["周一", "吴二"]).exists()


def test_a_phone_in_a_number_cell_is_read_as_its_digits(world, tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["姓名", "身份证号", "联系电话", "社区", "网格", "楼栋", "房号"])
    sheet.append(["周一", make_id_number(101), 13900000101, "东社区", "第一网格", "5", "101"])
    path = tmp_path / "r.xlsx"
    workbook.save(path)

    run(path)

    assert Person.objects.get(name="周一").phone == "13900000101"


def test_full_width_digits_are_normalised(world, tmp_path):
    full_width = make_id_number(101).translate(
        str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")
    )
    path = write_roster(tmp_path / "r.xlsx", [person_row(101, "周一", 身份证号=full_width)])

    run(path)

    assert Person.objects.get(name="周一").id_number == make_id_number(101)


def test_cells_become_text_as_the_spreadsheet_shows_them():
    assert cell_text(13900000101.0) == "13900000101"
    assert cell_text(3.3010219800517203e17) == "3.30102198005172E+17"
    assert cell_text(True) == "是"
    assert cell_text("  张三 ") == "张三"


def test_a_file_without_the_required_columns_cannot_be_read(world, tmp_path):
    path = write_roster(tmp_path / "r.xlsx", [{"姓名": "周一", "身份证号": make_id_number(1)}])

    with pytest.raises(RosterReadError, match="社区"):
        open_roster(path)


def test_a_file_without_any_header_cannot_be_read(world, tmp_path):
    path = tmp_path / "r.csv"
    path.write_text("a,b,c\n1,2,3\n", encoding="utf-8")

    with pytest.raises(RosterReadError, match="表头"):
        run(path)


def test_the_error_report_can_be_fixed_and_imported_again(world, tmp_path):
    # given a file whose second row has a bad phone
    rows = [person_row(101, "周一"), person_row(102, "吴二", 联系电话="139")]
    outcome = run(write_roster(tmp_path / "r.xlsx", rows))
    report = load_workbook(outcome.report)
    sheet = report.active
    header = [cell.value for cell in sheet[1]]
    assert header[:2] == ["行号", "错误原因"]

    # when the user corrects the phone in the report and imports the report itself
    sheet.cell(row=2, column=header.index("联系电话") + 1, value="13900000102")
    fixed = tmp_path / "fixed.xlsx"
    report.save(fixed)
    again = run(fixed)

    # then
    assert again.counts == {
        "created": 1,
        "updated": 0,
        "unchanged": 0,
        "rejected": 0,
        "warnings": 0,
    }
    assert Person.objects.get(name="吴二").phone == "13900000102"


def test_phones_in_the_shapes_people_type_are_imported_in_one_form(world, tmp_path):
    # given a street with an area code and a sheet of phones as people write them
    world.street.area_code = "0579"
    world.street.save()
    shapes = {
        "周一": ("178-3401-9904", "17834019904"),
        "吴二": ("（178）3401-9904", "17834019904"),
        "郑三": ("+86 178 3401 9904", "17834019904"),
        "冯四": (17834019904.0, "17834019904"),
        "陈五": ("13812345678/13987654321", "13812345678"),
        "褚六": ("8765 4321", "0579-87654321"),
        "卫七": ("0571-87654321转12", "0571-87654321-12"),
    }
    rows = [
        person_row(201 + index, name, 联系电话=raw)
        for index, (name, (raw, _)) in enumerate(shapes.items())
    ]
    rows.append(person_row(260, "蒋八", 联系电话="1.78340E+10"))
    path = write_roster(tmp_path / "r.xlsx", rows)

    outcome = run(path)

    # then every readable shape is stored normalised, and Excel's lost digits are refused by name
    assert outcome.counts["created"] == len(shapes)
    for name, (_, stored) in shapes.items():
        assert Person.objects.get(name=name).phone == stored
    assert any("1.78340E+10" in error["reason"] for error in outcome.first_errors)


def test_a_cell_with_two_numbers_keeps_the_second_as_second_phone_with_a_warning(world, tmp_path):
    # given a roster whose phone cell holds two numbers, as people fill it
    rows = [
        person_row(301, "陈五", 联系电话="138-1234-5678、139 8765 4321"),
        person_row(302, "褚六", 联系电话="13900000302"),
    ]
    path = write_roster(tmp_path / "r.xlsx", rows)

    # when it is imported
    outcome = run(path)

    # then the row is imported, not rejected: the first number is the phone, the second is kept
    assert outcome.counts == {
        "created": 2,
        "updated": 0,
        "unchanged": 0,
        "rejected": 0,
        "warnings": 1,
    }
    person = Person.objects.get(name="陈五")
    assert (person.phone, person.second_phone) == ("13812345678", "13987654321")
    assert person.second_phone_masked == "139****4321"
    assert Person.objects.get(name="褚六").second_phone == ""
    # and the report lists the warned row on its own sheet, naming the kept number
    report = load_workbook(outcome.report)
    assert report["错误报告"].max_row == 1
    warned = [[cell.value for cell in row] for row in report["提示"].iter_rows(min_row=2)]
    assert len(warned) == 1 and "13987654321" in warned[0][1]


def test_the_second_phone_follows_the_phone_cell_on_reimport(world, tmp_path):
    # given a person imported with two numbers
    run(
        write_roster(
            tmp_path / "a.xlsx", [person_row(303, "卫七", 联系电话="13812345678/13987654321")]
        )
    )

    # when the same file comes again, then nothing changed
    again = run(
        write_roster(
            tmp_path / "b.xlsx", [person_row(303, "卫七", 联系电话="13812345678/13987654321")]
        )
    )
    assert (again.counts["unchanged"], again.counts["warnings"]) == (1, 1)

    # when a later roster holds only one number in the cell, then the second one is gone
    later = run(
        write_roster(tmp_path / "c.xlsx", [person_row(303, "卫七", 联系电话="13812345678")])
    )
    assert later.counts["updated"] == 1
    assert Person.objects.get(name="卫七").second_phone == ""

    # and a blank phone cell keeps both, as a blank cell always does
    blank = run(write_roster(tmp_path / "d.xlsx", [person_row(303, "卫七", 联系电话="")]))
    assert blank.counts["unchanged"] == 1
