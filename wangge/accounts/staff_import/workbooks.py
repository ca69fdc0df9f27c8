"""The spreadsheets staff management hands out: the import template and the one-time credentials."""

from io import BytesIO

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font

from wangge.accounts.staff_import.reader import HEADER_LABELS
from wangge.core.cells import append_row, first_sheet

TEMPLATE_EXAMPLE = ["wangxiaoming", "王小明", "13800138000", "网格员", "东社区", "第一网格"]


def _save(workbook: Workbook) -> bytes:
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def template_workbook() -> bytes:
    """Canonical headers and one example row (one row per role; same username = several roles)."""
    workbook = Workbook()
    sheet = first_sheet(workbook)
    sheet.title = "工作人员"
    append_row(sheet, list(HEADER_LABELS.values()))
    append_row(sheet, TEMPLATE_EXAMPLE)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for column in "ABCDEF":
        sheet.column_dimensions[column].width = 16
        sheet.column_dimensions[column].number_format = "@"
    return _save(workbook)


def credentials_workbook(entries: list[tuple[str, str, str, str]], street: str) -> bytes:
    """(username, name, one-time password, roles) per new account, under a warning line."""
    workbook = Workbook()
    sheet = first_sheet(workbook)
    sheet.title = "初始密码"
    append_row(
        sheet,
        [
            f"{street} 工作人员初始密码 · {timezone.localtime():%Y-%m-%d %H:%M} · "
            "仅限本人使用，首次登录须修改；分发后请删除本文件 / one-time passwords: "
            "each must be changed at first login; delete this file once handed out"
        ],
    )
    append_row(sheet, ["用户名", "姓名", "初始密码", "角色"])
    for entry in entries:
        append_row(sheet, list(entry))
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for column, width in zip("ABCD", (18, 12, 16, 40), strict=True):
        sheet.column_dimensions[column].width = width
    return _save(workbook)
