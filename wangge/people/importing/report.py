"""The .xlsx files an import hands back: the error report and the blank template.

The error report holds the rejected rows as the file had them, behind two columns 行号 and 错误原因,
under the file's own header, so the user can fix the rows and import the report itself again (the
two extra columns are not roster columns and are ignored). Rows imported with a warning (a second
phone number kept from one cell) follow on a second sheet 提示, for reading, not for re-import.
Every cell is text, so Excel will not turn a corrected ID number into 3.30102199001011E+17 again.
"""

from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from wangge.core.cells import append_row, first_sheet, text_cell
from wangge.people.importing.headers import CANONICAL_HEADERS
from wangge.people.importing.reader import open_roster
from wangge.people.importing.rows import Rejection, RowWarning

ROW_HEADER = "行号"
REASON_HEADER = "错误原因"
WARNING_HEADER = "提示"
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
    reasons = {rejection.row: rejection.reason for rejection in rejections}
    notes = {warning.row: warning.reason for warning in warnings}
    roster = open_roster(source, name)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("错误报告")
    noted = workbook.create_sheet(WARNING_HEADER) if notes else None
    for target, reason_header in ((sheet, REASON_HEADER), (noted, WARNING_HEADER)):
        if target is not None:
            target.append(
                [
                    text_cell(target, label, bold=True)
                    for label in (ROW_HEADER, reason_header, *roster.header.labels)
                ]
            )
    for number, cells in roster.rows:
        reason = reasons.get(number)
        if reason is not None:
            sheet.append([text_cell(sheet, v) for v in (number, reason, *cells)])
        note = notes.get(number)
        if note is not None and noted is not None:
            noted.append([text_cell(noted, v) for v in (number, note, *cells)])
    destination.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(destination)
    return destination


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
