"""The two tables the district asks of the demo street every day, as the district would send them:
.xlsx files with a title and the district's emblem, two-row merged headers, one fixed row per
community, a total row of formulas and the district's styles — and the mapping of their cells to
report figures that the street's command keeps beside them (docs/reports.md "Enter once")."""

from io import BytesIO
from typing import Any

from openpyxl import Workbook
from openpyxl.drawing.image import Image
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from PIL import Image as Picture
from PIL import ImageDraw

THIN = Side(style="thin", color="000000")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)
HEAD = PatternFill("solid", fgColor="DDEBF7")
FIRST_ROW = 5


def emblem() -> BytesIO:
    """A small red round emblem, standing in for the district's logo."""
    picture = Picture.new("RGBA", (96, 96), (255, 255, 255, 0))
    draw = ImageDraw.Draw(picture)
    draw.ellipse((4, 4, 92, 92), fill=(200, 16, 46, 255))
    draw.ellipse((30, 30, 66, 66), fill=(255, 215, 0, 255))
    out = BytesIO()
    picture.save(out, format="PNG")
    out.seek(0)
    return out


def _table(
    title: str, groups: list[tuple[str, list[tuple[str, str]]]], communities: list[str]
) -> tuple[bytes, dict[str, Any]]:
    """A sheet 日报: title (row 1), street and date (row 2), headers (rows 3–4: a group over its
    columns), one row per community from row 5, then 合计 with SUM formulas."""
    book = Workbook()
    sheet = book.worksheets[0]
    sheet.title = "日报"
    columns = [figure for _group, items in groups for figure in items]
    last = get_column_letter(len(columns) + 1)
    sheet.merge_cells(f"A1:{last}1")
    sheet["A1"] = title
    sheet["A1"].font = Font(name="宋体", size=16, bold=True)
    sheet["A1"].alignment = CENTRE
    sheet.row_dimensions[1].height = 40
    sheet["A2"] = "填报单位："
    sheet["C2"] = "数据日期："
    sheet["E2"] = "填报时间："
    sheet.merge_cells("A3:A4")
    sheet["A3"] = "社区"
    column = 2
    for group, items in groups:
        start = get_column_letter(column)
        end = get_column_letter(column + len(items) - 1)
        if start != end:
            sheet.merge_cells(f"{start}3:{end}3")
        sheet[f"{start}3"] = group
        for label, _key in items:
            sheet.cell(row=4, column=column, value=label)
            column += 1
    for row in sheet.iter_rows(min_row=3, max_row=4, max_col=len(columns) + 1):
        for cell in row:
            cell.fill, cell.border, cell.alignment = HEAD, BOX, CENTRE
            cell.font = Font(name="宋体", bold=True)
    total = FIRST_ROW + len(communities)
    for offset, name in enumerate(communities):
        sheet.cell(row=FIRST_ROW + offset, column=1, value=name)
    sheet.cell(row=total, column=1, value="合计")
    for index in range(2, len(columns) + 2):
        letter = get_column_letter(index)
        sheet[f"{letter}{total}"] = f"=SUM({letter}{FIRST_ROW}:{letter}{total - 1})"
        sheet.column_dimensions[letter].width = 12
    for row in sheet.iter_rows(min_row=FIRST_ROW, max_row=total, max_col=len(columns) + 1):
        for cell in row:
            cell.border = BOX
            cell.alignment = CENTRE
            cell.number_format = "0"
    sheet.column_dimensions["A"].width = 16
    sheet.freeze_panes = f"B{FIRST_ROW}"
    logo = Image(emblem())
    logo.width = logo.height = 36
    sheet.add_image(logo, "A1")
    out = BytesIO()
    book.save(out)
    mapping = {
        "sheet": "日报",
        "cells": {"B2": "@street", "D2": "@day", "F2": "@made_at"},
        "rows": {
            "name_column": "A",
            "first": FIRST_ROW,
            "last": total - 1,
            "columns": {get_column_letter(i + 2): key for i, (_l, key) in enumerate(columns)},
        },
    }
    return out.getvalue(), mapping


def epidemic_table(communities: list[str]) -> tuple[bytes, dict[str, Any]]:
    return _table(
        "疫情防控工作日报表",
        [
            (
                "管控人员",
                [
                    ("在管人数", "measures.active"),
                    ("当日新增", "measures.new"),
                    ("当日解除", "measures.released"),
                ],
            ),
            (
                "健康监测",
                [("未打卡", "checkins.missed"), ("发热预警", "checkins.fevers")],
            ),
            ("五色户", [("红码户", "colours.red"), ("黄码户", "colours.yellow")]),
            ("事件", [("超时未响应", "command.events_late")]),
        ],
        communities,
    )


def testing_table(communities: list[str]) -> tuple[bytes, dict[str, Any]]:
    return _table(
        "核酸检测及疫苗接种情况统计表",
        [
            (
                "核酸检测",
                [
                    ("应检", "tests.target"),
                    ("已检", "tests.tested"),
                    ("未检", "tests.untested"),
                    ("阳性", "tests.positive"),
                ],
            ),
            (
                "老年人疫苗接种",
                [
                    ("60-79岁全程", "vaccination.complete.60–79"),
                    ("80岁以上全程", "vaccination.complete.80+"),
                ],
            ),
        ],
        communities,
    )
