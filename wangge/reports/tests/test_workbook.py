"""Filling a 一表通 template: everything but the cells written stays as the district made it, and
files that are no template we fill are refused before anything is parsed."""

import re
import shutil
import struct
import subprocess
import zipfile
from copy import copy
from io import BytesIO
from pathlib import Path

import openpyxl
import pytest

from wangge.core.tests.xls import write_xls
from wangge.reports.filling.workbook import (
    Value,
    WorkbookError,
    fill,
    inspect,
    limits_from,
    read_cells,
)
from wangge.reports.tests.builders import LIMITS, SHEET, part, template, with_parts

SHEET_PART = "xl/worksheets/sheet1.xml"
WRITTEN: dict[tuple[str, str], Value] = {
    (SHEET, "B2"): "东湖街道",
    (SHEET, "F2"): "2026-03-01",
    (SHEET, "C6"): 3,
    (SHEET, "D6"): 0,
    (SHEET, "E7"): 12.5,
    (SHEET, "C11"): 41,
}


@pytest.fixture(scope="module")
def blank() -> bytes:
    return template()


@pytest.fixture(scope="module")
def filled(blank) -> bytes:
    return fill(blank, WRITTEN, limits=LIMITS)


def _stored(content: bytes, member: zipfile.ZipInfo) -> bytes:
    """A member's compressed bytes as stored behind its local header."""
    name_length, extra_length = struct.unpack_from("<HH", content, member.header_offset + 26)
    start = member.header_offset + 30 + name_length + extra_length
    return content[start : start + member.compress_size]


def _style(cell) -> tuple:
    """The cell's style as plain objects (openpyxl's proxies compare unequal to each other)."""
    return (*map(copy, (cell.font, cell.fill, cell.border, cell.alignment)), cell.number_format)


def test_members_not_written_keep_their_stored_bytes(blank, filled):
    before, after = zipfile.ZipFile(BytesIO(blank)), zipfile.ZipFile(BytesIO(filled))
    assert after.testzip() is None
    assert [m.filename for m in after.infolist()] == [m.filename for m in before.infolist()]
    assert {m.compress_type for m in before.infolist()} == {
        zipfile.ZIP_STORED,
        zipfile.ZIP_DEFLATED,
    }
    for old, new in zip(before.infolist(), after.infolist(), strict=True):
        assert (new.compress_type, new.date_time) == (old.compress_type, old.date_time)
        if old.filename not in (SHEET_PART, "xl/workbook.xml"):
            assert _stored(filled, new) == _stored(blank, old), old.filename
            assert after.read(new) == before.read(old)


def test_styles_merges_formulas_widths_and_images_stay(blank, filled):
    before = openpyxl.load_workbook(BytesIO(blank))
    after = openpyxl.load_workbook(BytesIO(filled))
    assert after.sheetnames == before.sheetnames
    for name in before.sheetnames:
        old, new = before[name], after[name]
        assert sorted(map(str, new.merged_cells.ranges)) == sorted(
            map(str, old.merged_cells.ranges)
        )
        assert new.freeze_panes == old.freeze_panes
        assert len(new._images) == len(old._images)
        assert [v.sqref for v in new.data_validations.dataValidation] == [
            v.sqref for v in old.data_validations.dataValidation
        ]
        assert {k: d.width for k, d in new.column_dimensions.items()} == {
            k: d.width for k, d in old.column_dimensions.items()
        }
        assert new.row_dimensions[1].height == old.row_dimensions[1].height
        for row in old.iter_rows():
            for cell in row:
                assert _style(new[cell.coordinate]) == _style(cell), cell.coordinate
                if cell.data_type == "f" or (name, cell.coordinate) not in WRITTEN:
                    assert new[cell.coordinate].value == cell.value, cell.coordinate
    sheet = after[SHEET]
    assert {ref: sheet[ref].value for _, ref in WRITTEN} == {
        ref: v for (_, ref), v in WRITTEN.items()
    }
    assert sheet["C10"].value == "=SUM(C6:C9)"


def test_written_sheet_recalculates_on_open(blank, filled):
    assert b'fullCalcOnLoad="1"' in part(filled, "xl/workbook.xml")
    assert read_cells(blank, SHEET, ["C10"], limits=LIMITS) == {"C10": 999}
    assert read_cells(filled, SHEET, ["C10", "B6"], limits=LIMITS) == {"C10": None, "B6": 2}
    # the other sheet was not written: its cached result (and its bytes) stay
    assert read_cells(filled, "说明", ["A2"], limits=LIMITS) == {"A2": 999}


def test_excel_namespaces_stay_and_text_goes_inline(filled):
    xml = part(filled, SHEET_PART).decode()
    assert 'mc:Ignorable="x14ac xr xr2 xr3"' in xml
    assert 'x14ac:dyDescent="0.25"' in xml and "ns0:" not in xml
    assert re.search('<c r="B2" s="[0-9]+" t="inlineStr"><is><t>东湖街道</t></is></c>', xml)
    assert re.search('<c r="C6" s="[0-9]+"><v>3</v></c>', xml)


def test_calc_pr_is_added_where_the_schema_puts_it(blank):
    workbook = part(blank, "xl/workbook.xml")
    start = workbook.index(b"<calcPr")
    without = workbook[:start] + workbook[workbook.index(b"/>", start) + 2 :]
    out = fill(with_parts(blank, {"xl/workbook.xml": without}), {}, limits=LIMITS)
    xml = part(out, "xl/workbook.xml")
    assert xml.index(b"</sheets>") < xml.index(b'<calcPr fullCalcOnLoad="1"/>')


def test_cells_and_rows_made_in_order(blank):
    values = {(SHEET, "D40"): 1, (SHEET, "D15"): "十五", (SHEET, "D2"): 2, (SHEET, "G7"): 7}
    values |= {(SHEET, "H41"): None}
    out = fill(blank, values, limits=LIMITS)
    xml = part(out, SHEET_PART).decode()
    rows = [int(r) for r in re.findall(r'<row [^>]*\br="(\d+)"', xml)]
    assert rows == sorted(rows) and rows[-2:] == [15, 40]
    assert xml.index('r="B2"') < xml.index('r="D2"') < xml.index('r="E2"')
    assert 'spans="1:7"' in xml and '<dimension ref="A1:G40"/>' in xml and "H41" not in xml
    sheet = openpyxl.load_workbook(BytesIO(out))[SHEET]
    assert [sheet[ref].value for ref in ("D40", "D15", "D2", "G7")] == [1, "十五", 2, 7]
    assert sheet["G7"].font.i  # the column's style, as Excel showed the empty cell


def test_texts_none_and_formula_like_text(blank):
    values = {(SHEET, "B2"): "  东湖 街道", (SHEET, "B6"): None, (SHEET, "F3"): "=1+1"}
    out = fill(blank, values, limits=LIMITS)
    assert read_cells(out, SHEET, ["B2", "B6", "F3"], limits=LIMITS) == {
        "B2": "  东湖 街道",
        "B6": None,
        "F3": "'=1+1",
    }
    style = re.compile('<c r="B6" (s="[0-9]+")')
    assert (
        style.search(part(out, SHEET_PART).decode())[1]
        == style.search(part(blank, SHEET_PART).decode())[1]
    )
    assert re.search('<c r="B6" s="[0-9]+"/>', part(out, SHEET_PART).decode())


def test_the_settings_limits_take_a_template(blank, settings):
    limits = limits_from(settings.WANGGE["REPORT_TEMPLATE_LIMITS"])
    assert [sheet.name for sheet in inspect(blank, limits=limits).sheets] == [SHEET, "说明"]


def test_inspect_and_read_cells(blank):
    info = inspect(blank, limits=LIMITS)
    assert [(s.name, s.part, s.max_row, s.max_column) for s in info.sheets] == [
        (SHEET, SHEET_PART, 11, 6),
        ("说明", "xl/worksheets/sheet2.xml", 2, 1),
    ]
    assert info.formulas == {SHEET: {"B10", "C10", "D10", "E10"}, "说明": {"A2"}}
    assert sorted(info.merged[SHEET]) == ["A1:F1", "A4:A5", "B4:B5", "C4:D4", "E4:F4"]
    rich = part(blank, "xl/sharedStrings.xml").replace(
        "<si><t>东社区</t></si>".encode(),
        "<si><r><t>东</t></r><r><rPr><b/></rPr><t>社区</t></r><rPh sb='0' eb='1'><t>ドン</t></rPh></si>".encode(),
    )
    rich_template = with_parts(blank, {"xl/sharedStrings.xml": rich})
    assert read_cells(rich_template, SHEET, ["A6", "A7", "B6", "Z99"], limits=LIMITS) == {
        "A6": "东社区",
        "A7": "西社区",
        "B6": 2,
        "Z99": None,
    }


@pytest.mark.parametrize(
    ("ref", "value", "says"),
    [
        ("C10", 1, "holds a formula"),
        ("B1", "x", "merged range A1:F1"),
        ("D4", None, "merged range C4:D4"),
        ("XFD1048576", 1, "rows, more than the limit"),
        ("c5", 1, "not a cell reference"),
        ("A0", 1, "not a cell reference"),
        ("C6", True, "must be a number or a text"),
        ("C6", float("nan"), "not finite"),
        ("C6", "a\x00b", "a character"),
    ],
)
def test_refused_writes(blank, ref, value, says):
    with pytest.raises(WorkbookError, match=says):
        fill(blank, {(SHEET, ref): value}, limits=LIMITS)


def test_unknown_sheet(blank):
    with pytest.raises(WorkbookError, match="has no sheet '月报'"):
        fill(blank, {("月报", "A1"): 1}, limits=LIMITS)


def _zip(members: dict[str, bytes]) -> bytes:
    out = BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def _understated(content: bytes, name: str) -> bytes:
    """The archive with the member's size in the zip directory declared as 100 bytes."""
    data = bytearray(content)
    at = data.find(b"PK\x01\x02")
    while data[at + 46 : at + 46 + struct.unpack_from("<H", data, at + 28)[0]] != name.encode():
        at = data.find(b"PK\x01\x02", at + 4)
    struct.pack_into("<I", data, at + 24, 100)
    return bytes(data)


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">&lol2;</workbook>"""


def test_hostile_files_are_refused(blank, tmp_path):
    xls = write_xls(tmp_path / "old.xls", [["社区", "人数"], ["东社区", 3]]).read_bytes()
    types = part(blank, "[Content_Types].xml")
    far = part(blank, SHEET_PART).replace(
        b"</sheetData>", b'<row r="1048576"><c r="A1048576"/></row></sheetData>'
    )
    cases = [
        (bytes(range(256)) * 8, r"not an Excel workbook \(\.xlsx\)"),
        ("社区,人数\n东社区,3\n".encode(), "not an Excel workbook"),
        (_zip({"word/document.xml": b"<w/>"}), "not an Excel workbook"),
        (xls, r"legacy Excel \(\.xls\)"),
        (xls[:512] + "EncryptedPackage".encode("utf-16-le"), "the workbook is encrypted"),
        (with_parts(blank, {SHEET_PART: b" " * 2 * 1024**2}), "inflates to 2 MB"),
        (_understated(blank, SHEET_PART), "Bad CRC-32"),
        (with_parts(blank, {f"x/{n}.xml": b"" for n in range(50)}), "holds 65 members"),
        (with_parts(blank, {"xl/workbook.xml": BILLION_LAUGHS}), "declares a DOCTYPE"),
        (
            with_parts(
                blank,
                {"[Content_Types].xml": types.replace(b"sheet.main", b"sheet.macroEnabled.main")},
            ),
            "macro-enabled",
        ),
        (with_parts(blank, {SHEET_PART: far}), "sheet '日报' has 1048576 rows"),
    ]
    for content, says in cases:
        with pytest.raises(WorkbookError, match=says):
            inspect(content, limits=LIMITS)


def test_far_away_cell_in_a_template_is_refused(blank):
    xml = part(blank, SHEET_PART).replace(
        b"</sheetData>", b'<row r="12"><c r="XFD12"/></row></sheetData>'
    )
    with pytest.raises(WorkbookError, match="16384 columns, more than the limit of 64"):
        fill(with_parts(blank, {SHEET_PART: xml}), {(SHEET, "A1"): "x"}, limits=LIMITS)


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_reads_the_filled_table(filled, tmp_path: Path):
    source = tmp_path / "filled.xlsx"
    source.write_bytes(filled)
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76"]
        + ["--outdir", str(tmp_path), str(source)],
        check=True,
        timeout=120,
        capture_output=True,
    )
    rows = (tmp_path / "filled.csv").read_text(encoding="utf-8").splitlines()
    assert rows[1].startswith("街道,东湖街道")
    assert rows[9].startswith("合计,14,3,0,12.5")
