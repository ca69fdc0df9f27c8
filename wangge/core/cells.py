"""Every cell we write to a spreadsheet passes through here, so that no value becomes a formula.

A name imported as `=HYPERLINK("http://…"&A1,"点我")` would otherwise come back as a live formula in
an export or an error report (CSV/formula injection). A text value starting with `=`, `+`, `-`, `@`,
a tab or a carriage return is written with a single quote in front, as OWASP recommends: the cell
is then a plain string cell in every spreadsheet program, and the quote shows that the value was
changed. Numbers, dates and empty cells are written as they are (they cannot be formulas). The
readers take the quote off again (`unquote`), so an error report imports back as it was uploaded:
a phone written `+86 138…` is quoted in the report and read as `+86 138…`.
"""

from collections.abc import Iterable
from typing import overload

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.styles import Font
from openpyxl.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
FORMULA_CHARACTERS = "".join(FORMULA_STARTS)
QUOTE = "'"
TEXT_FORMAT = "@"


@overload
def safe_value(value: str) -> str: ...
@overload
def safe_value(value: object) -> object: ...
def safe_value(value: object) -> object:
    """The value as it may be written: text that a spreadsheet would read as a formula is quoted."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return QUOTE + value
    return value


def unquote(text: str) -> str:
    """A cell's text as it was before `safe_value` quoted it."""
    if len(text) > 1 and text[0] == QUOTE and text[1] in FORMULA_CHARACTERS:
        return text[1:]
    return text


def safe_row(values: Iterable[object]) -> list[object]:
    """A row for `sheet.append`: every plain value made safe; ready-made cells kept."""
    return [value if isinstance(value, Cell) else safe_value(value) for value in values]


def first_sheet(book: Workbook) -> Worksheet:
    """The worksheet a new workbook opens on (`book.active`, typed as what it is)."""
    sheet = book.active
    if not isinstance(sheet, Worksheet):
        raise TypeError("the workbook opens on no worksheet")
    return sheet


def append_row(sheet: Worksheet, values: Iterable[object]) -> None:
    """`sheet.append(values)`, every value made safe: the way every export appends a row."""
    sheet.append(safe_row(values))


def text_cell(sheet: Worksheet, value: object, *, bold: bool = False) -> Cell:
    """A write-only string cell formatted as text (so Excel keeps an ID number's digits)."""
    cell = WriteOnlyCell(sheet, value=safe_value("" if value is None else str(value)))
    cell.number_format = TEXT_FORMAT
    if bold:
        cell.font = Font(bold=True)
    return cell


def neutralise_sheet(sheet: Worksheet) -> None:
    """Make every cell of a sheet loaded from a file safe (an uploaded workbook written back)."""
    for row in sheet.iter_rows():
        for cell in row:
            value = cell.value
            if cell.data_type == "f" and not isinstance(value, str):  # an array formula
                value = str(getattr(value, "text", value))
            if isinstance(value, str) and value.startswith(FORMULA_STARTS):
                cell.value = QUOTE + value
