"""The .xlsx files a roster import hands back: the error report (core.row_report: the rejected rows
under the file's own header, the rows imported with a warning, such as a second phone number kept
from one cell, on a sheet 提示) and the blank template.
"""

from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from wangge.core.cells import append_row, first_sheet
from wangge.core.row_report import write_row_report
from wangge.people.importing.headers import CANONICAL_HEADERS
from wangge.people.importing.reader import open_roster
from wangge.people.importing.rows import Rejection, RowWarning

TEXT = "@"
EXAMPLE_ROW = (
    "张三",
    "男",
    "330102198005170019",
    "居民身份证",
    "13800138000",
    "东社区",
    "第一网格",
    "阳光花园",
    "3幢",
    "2",
    "3",
    "301",
    "户主",
    "户籍",
    "是",
    "楼栋长",
    "浙江省杭州市上城区",
    "1980-05-17",
    "汉族",
    "示例行，导入前请删除",
)


def write_error_report(
    *,
    source: Path,
    name: str,
    rejections: list[Rejection],
    destination: Path,
    warnings: Sequence[RowWarning] = (),
) -> Path:
    """Write the rejected rows of `source` (read again, row by row) to `destination`, and the rows
    imported with a warning to a second sheet."""
    roster = open_roster(source, name)
    return write_row_report(
        labels=roster.header.labels,
        rows=roster.rows,
        reasons={rejection.row: rejection.reason for rejection in rejections},
        notes={warning.row: warning.reason for warning in warnings},
        destination=destination,
    )


def template_workbook() -> Workbook:
    """The canonical headers and one example row; ID and phone columns formatted as text."""
    workbook = Workbook()
    sheet = first_sheet(workbook)
    sheet.title = "人员花名册"
    append_row(sheet, CANONICAL_HEADERS)
    append_row(sheet, EXAMPLE_ROW)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for column, header in enumerate(CANONICAL_HEADERS, start=1):
        letter = get_column_letter(column)
        sheet.column_dimensions[letter].width = max(10, 2 * len(header) + 2)
        sheet.column_dimensions[letter].number_format = TEXT
        sheet.cell(row=2, column=column).number_format = TEXT
    sheet.column_dimensions["C"].width = 22
    sheet.freeze_panes = "A2"
    return workbook
