"""Verification lists as upstream sends them, written with openpyxl for the tests."""

from pathlib import Path

import openpyxl
from openpyxl.styles import Font

from conftest import make_id_number

HEADERS = ["序号", "姓名", "证件号码", "手机号", "地址", "核查原因", "来源", "反馈时限"]


def bad_check_digit(number: str) -> str:
    return number[:17] + ("0" if number[17] != "0" else "1")


def write_list(
    path: Path, rows: list[list], title: str = "关于协查相关人员的通知（第12批）"
) -> Path:
    book = openpyxl.Workbook()
    sheet = book.worksheets[0]
    sheet.title = "协查名单"
    sheet.append([title])
    sheet.append(HEADERS)
    sheet["B2"].font = Font(bold=True)
    for row in rows:
        sheet.append(row)
    sheet.column_dimensions["C"].width = 24
    book.save(path)
    return path


def standard_rows() -> list[list]:
    """Rows against the `world` register, one per matching rule (see test_verification_import)."""
    return [
        [1, "张三", make_id_number(1), "13999999999", "", "密接", "省专班", ""],
        [2, "李四", "", "13900002222", "", "时空伴随", "省专班", ""],
        [3, "王五", bad_check_digit(make_id_number(3)), "13700003333", "", "次密接", "市专班", ""],
        [4, "张三", make_id_number(1), "13999999999", "", "密接", "省专班", ""],
        [5, "赵六", "", "", "江景苑1幢1单元101室", "返乡", "区指挥部", "2026-03-03 18:00"],
        [6, "钱七", bad_check_digit(make_id_number(7)), "", "", "密接", "省专班", ""],
        [7, "孙八", make_id_number(8), "", "", "密接", "省专班", "24小时"],
        [8, "", "", "", "", "核查原因不详", "省专班", ""],
        [None, None, None, None, None, None, None, None],
        [9, "", "", "", "", "", "", ""],
    ]
