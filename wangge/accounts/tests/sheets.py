"""Spreadsheets for the staff import tests."""

from collections.abc import Sequence
from io import BytesIO

from openpyxl import Workbook

HEADER = ["用户名/账号", "姓名", "手机号", "角色", "社区", "网格"]


def xlsx(*rows: Sequence[object]) -> bytes:
    """A workbook whose first sheet holds these rows (the first is usually the header)."""
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(list(row))
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
