"""The error report an import hands back: the rejected rows as the file had them, behind two columns
行号 and 错误原因, under the file's own header, so the user can fix the rows and import the report
itself again (the two extra columns are none of the import's and are ignored). Rows imported with
a warning follow on a second sheet 提示, for reading, not for re-import. Every cell is text, so
Excel will not turn a corrected ID number into 3.30102199001011E+17 again.
"""

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, Protocol

from django.conf import settings
from openpyxl import Workbook

from wangge.core.cells import text_cell

ROW_HEADER = "行号"
REASON_HEADER = "错误原因"
WARNING_HEADER = "提示"


def write_row_report(
    *,
    labels: list[str],
    rows: Iterable[tuple[int, list[str]]],
    reasons: Mapping[int, str],
    notes: Mapping[int, str],
    destination: Path,
) -> Path:
    """Write the rows of `rows` (row number, cells) that `reasons` names to the first sheet and
    those `notes` names to a second sheet; `labels` is the file's header row."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("错误报告")
    noted = workbook.create_sheet(WARNING_HEADER) if notes else None
    for target, reason_header in ((sheet, REASON_HEADER), (noted, WARNING_HEADER)):
        if target is not None:
            target.append(
                [
                    text_cell(target, label, bold=True)
                    for label in (ROW_HEADER, reason_header, *labels)
                ]
            )
    for number, cells in rows:
        reason = reasons.get(number)
        if reason is not None:
            sheet.append([text_cell(sheet, v) for v in (number, reason, *cells)])
        note = notes.get(number)
        if note is not None and noted is not None:
            noted.append([text_cell(noted, v) for v in (number, note, *cells)])
    destination.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(destination)
    return destination


FIRST_ERRORS = 20


class Rejection(Protocol):
    row: int
    problems: list[tuple[str, str]]


def first_errors(rejections: Iterable[Rejection]) -> list[dict[str, Any]]:
    """The first FIRST_ERRORS problems, one per column at fault: {row, column, reason} — what an
    import's page and command show before the report is opened."""
    errors: list[dict[str, Any]] = []
    for rejection in rejections:
        for column, reason in rejection.problems:
            if len(errors) == FIRST_ERRORS:
                return errors
            errors.append({"row": rejection.row, "column": column, "reason": reason})
    return errors


def media_relative(path: Path | None) -> str:
    """A written report's path as a FileField stores it (below MEDIA_ROOT); "" for none."""
    return str(path.relative_to(settings.MEDIA_ROOT)) if path else ""
