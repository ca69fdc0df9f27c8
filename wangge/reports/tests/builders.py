"""A district's 一表通 template as the tests fill it, made with openpyxl at test time (no binary in
the repository): a title merged across the columns, a two-row merged header, one row per
community with its name, a total row of SUM formulas, a street cell, borders, fills, fonts, number
formats, column widths, frozen panes, a data validation, a PNG logo at A1 and a second sheet.
openpyxl writes text as inline strings and formulas without results; the template is then made to
look as Excel saves it: its text in xl/sharedStrings.xml, every formula with a cached result, and
the worksheets with Excel's namespaces, mc:Ignorable and rows' spans."""

import zipfile
from io import BytesIO

from lxml import etree
from openpyxl import Workbook
from openpyxl.drawing.image import Image
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.worksheet.datavalidation import DataValidation
from PIL import Image as PillowImage

from wangge.core.sheet_limits import Limits, column_number
from wangge.reports.filling.ooxml import tag
from wangge.reports.filling.workbook import PackageLimits

SHEET = "日报"
COMMUNITIES = ["东社区", "西社区", "南社区", "北社区"]
FIRST_ROW = 6
TOTAL_ROW = FIRST_ROW + len(COMMUNITIES)
STREET_ROW = TOTAL_ROW + 1
FIGURE_COLUMNS = {"C": "measures.active", "D": "checkins.missed", "E": "tests.target"}
MAPPING = {
    "sheet": SHEET,
    "cells": {
        "B2": "@street",
        "F2": "@day",
        "F3": "@made_at",
        f"C{STREET_ROW}": "street:measures.active",
    },
    "rows": {
        "name_column": "A",
        "first": FIRST_ROW,
        "last": TOTAL_ROW - 1,
        "columns": FIGURE_COLUMNS,
    },
}
LIMITS = PackageLimits(
    sheet=Limits(max_rows=1000, max_columns=64, max_cells=64_000, max_member_bytes=1024**2),
    max_members=64,
)

THIN = Side(style="thin", color="FF333333")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL = PatternFill("solid", fgColor="FFDDEBF7")
CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)


def logo_png() -> bytes:
    """A small red-and-white PNG, drawn with Pillow."""
    image = PillowImage.new("RGB", (48, 24), "white")
    for x in range(12, 36):
        for y in range(4, 20):
            image.putpixel((x, y), (200, 16, 46))
    out = BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def template(*, communities: list[str] = COMMUNITIES) -> bytes:
    """The template as the district sends it: an .xlsx of two sheets."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = SHEET
    last_row = FIRST_ROW + len(communities) - 1
    total = last_row + 1
    sheet["A1"] = "某某街道疫情防控一表通"
    sheet["A1"].font = Font(name="黑体", size=16, bold=True)
    sheet["A1"].alignment = CENTRE
    sheet.merge_cells("A1:F1")
    sheet.row_dimensions[1].height = 30
    for ref, label in {"A2": "街道", "E2": "日期", "E3": "填报时间"}.items():
        sheet[ref] = label
        sheet[ref].font = Font(bold=True)
    for ref, number_format in {"B2": "@", "F2": "yyyy-mm-dd", "F3": "@"}.items():
        sheet[ref].number_format = number_format
        sheet[ref].border = BOX
    headers = {"A4": "社区", "B4": "网格数", "C4": "管控情况", "E4": "核酸检测"}
    headers |= {"C5": "在管人数", "D5": "漏报打卡", "E5": "应检人数", "F5": "备注"}
    for ref, label in headers.items():
        sheet[ref] = label
    for merged in ("A4:A5", "B4:B5", "C4:D4", "E4:F4"):
        sheet.merge_cells(merged)
    for row in sheet["A4:F5"]:
        for cell in row:
            cell.font, cell.fill, cell.border, cell.alignment = (
                Font(bold=True),
                HEADER_FILL,
                BOX,
                CENTRE,
            )
    for offset, name in enumerate(communities):
        row_number = FIRST_ROW + offset
        sheet.cell(row_number, 1, name)
        sheet.cell(row_number, 2, offset + 2)
        for column in range(1, 7):
            cell = sheet.cell(row_number, column)
            cell.border = BOX
            if column > 1:
                cell.number_format = "#,##0"
    sheet.cell(total, 1, "合计").font = Font(bold=True, color="FFC00000")
    for letter in "BCDE":
        cell = sheet[f"{letter}{total}"]
        cell.value = f"=SUM({letter}{FIRST_ROW}:{letter}{last_row})"
        cell.number_format, cell.border, cell.font = "#,##0", BOX, Font(bold=True)
    sheet.cell(total + 1, 1, "街道在管人数（含无社区）")
    sheet.cell(total + 1, 3).number_format = "0"
    for letter, width in {"A": 18, "B": 8, "C": 12, "D": 12, "E": 12, "F": 20}.items():
        sheet.column_dimensions[letter].width = width
    sheet.column_dimensions["G"].font = Font(italic=True)  # a column style, for cells made in G
    sheet.freeze_panes = f"B{FIRST_ROW}"
    validation = DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0")
    validation.add(f"C{FIRST_ROW}:E{last_row}")
    sheet.add_data_validation(validation)
    logo = Image(BytesIO(logo_png()))
    logo.anchor = "A1"
    sheet.add_image(logo)
    notes = book.create_sheet("说明")
    notes["A1"] = "填表说明：数字由网格通系统生成，请勿手工修改。"
    notes["A2"] = "=日报!C" + str(total)
    out = BytesIO()
    book.save(out)
    return as_excel_saves(out.getvalue())


def as_excel_saves(content: bytes) -> bytes:
    """The workbook with its inline strings moved to a shared string table and a cached result
    (a stale 999) on every formula, as a template saved by Excel comes; the STORED members are
    not compressed."""
    strings: list[str] = []
    source = zipfile.ZipFile(BytesIO(content))
    out = BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            data = source.read(member)
            if member.filename.startswith("xl/worksheets/sheet"):
                data = _as_excel(data, strings)
            elif member.filename == "[Content_Types].xml":
                data = data.replace(b"</Types>", SHARED_STRINGS_TYPE + b"</Types>")
            elif member.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(b"</Relationships>", SHARED_STRINGS_REL + b"</Relationships>")
            stored = member.filename in STORED
            target.writestr(member, data, zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED)
        table = etree.Element(tag("sst"), count=str(len(strings)), uniqueCount=str(len(strings)))
        for text in strings:
            etree.SubElement(etree.SubElement(table, tag("si")), tag("t")).text = text
        target.writestr(
            "xl/sharedStrings.xml", etree.tostring(table, xml_declaration=True, encoding="UTF-8")
        )
    return out.getvalue()


def with_parts(content: bytes, parts: dict[str, bytes | None]) -> bytes:
    """The archive with members replaced or added (None: removed), for the hostile cases."""
    source = zipfile.ZipFile(BytesIO(content))
    out = BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            if member.filename not in parts:
                target.writestr(member, source.read(member))
        for name, data in parts.items():
            if data is not None:
                target.writestr(name, data)
    return out.getvalue()


def part(content: bytes, name: str) -> bytes:
    return zipfile.ZipFile(BytesIO(content)).read(name)


# Members kept uncompressed, as some tools store images: one copied, one rewritten by `fill`.
STORED = ("xl/media/image1.png", "xl/workbook.xml")
SHARED_STRINGS_TYPE = (
    b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
    b'officedocument.spreadsheetml.sharedStrings+xml"/>'
)
SHARED_STRINGS_REL = (
    b'<Relationship Id="rIdStrings" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    b'relationships/sharedStrings" Target="sharedStrings.xml"/>'
)


EXCEL_ROOT = (
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
    b'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    b'mc:Ignorable="x14ac xr xr2 xr3" '
    b'xmlns:x14ac="http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac" '
    b'xmlns:xr="http://schemas.microsoft.com/office/spreadsheetml/2014/revision" '
    b'xmlns:xr2="http://schemas.microsoft.com/office/spreadsheetml/2015/revision2" '
    b'xmlns:xr3="http://schemas.microsoft.com/office/spreadsheetml/2016/revision3" '
    b'xr:uid="{00000000-0001-0000-0000-000000000000}">'
)


def _as_excel(sheet_xml: bytes, strings: list[str]) -> bytes:
    root = etree.fromstring(sheet_xml)
    for row in root.iter(tag("row")):
        columns = [column_number(c.get("r", "A").rstrip("0123456789")) for c in row.iter(tag("c"))]
        row.set("spans", f"{min(columns, default=1)}:{max(columns, default=1)}")
    for cell in root.iter(tag("c")):
        inline = cell.find(tag("is"))
        if inline is not None:
            strings.append(inline.findtext(tag("t")) or "")
            cell.remove(inline)
            cell.set("t", "s")
            etree.SubElement(cell, tag("v")).text = str(len(strings) - 1)
        elif cell.find(tag("f")) is not None:
            for cached in cell.findall(tag("v")):
                cell.remove(cached)
            etree.SubElement(cell, tag("v")).text = "999"
    data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    data = data.replace(
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">', EXCEL_ROOT
    )
    return data.replace(b"<row ", b'<row x14ac:dyDescent="0.25" ')
