"""Reading a roster file: .xlsx/.xls (as Excel or WPS save them) or .csv, through core.spreadsheets.

The roster is the first visible sheet whose header row (among the top 20 rows) names person columns
and has every required column; its rows are streamed, never all held at once. Cells become text
through core.spreadsheets.cell_text, the way the spreadsheet showed them: a number mangled into
E-notation (3.30102199001011E+17) is rejected by the ID check — it is never repaired.
"""

from collections.abc import Collection, Iterator
from dataclasses import dataclass
from pathlib import Path

from wangge.core.identity import normalise_text
from wangge.core.spreadsheets import (
    CSV_SUFFIXES,
    SHEET_SUFFIXES,
    NoHeaderRow,
    TableError,
    TableStream,
    stream_table,
)
from wangge.people.importing.headers import HEADER_SCAN_ROWS, SYNONYMS, HeaderRow, missing_columns

ACCEPTED_SUFFIXES = CSV_SUFFIXES | SHEET_SUFFIXES
KIND = "roster"  # for the upload size limit
_MIN_KNOWN = 2


class RosterReadError(Exception):
    """The file cannot be read as a roster at all; the message says why, in Chinese and English."""


@dataclass
class RosterSheet:
    """The header of a roster and its data rows as (row number as the spreadsheet shows it, cells)."""

    header: HeaderRow
    rows: Iterator[tuple[int, list[str]]]
    last_row: int  # the last row number of the sheet, for progress


NO_HEADER = (
    "未找到表头：前20行中没有包含“姓名”和“身份证号”等列名的行 / no header row found: "
    "none of the first 20 rows names the columns (姓名, 身份证号, …)"
)


def _is_roster_header(names: Collection[str]) -> bool:
    """A header row names at least two person columns (a 序号 aside), the name or the ID among them."""
    known = set(names) - {"serial"}
    return len(known) >= _MIN_KNOWN and bool(known & {"name", "id_number"})


def _header(table: TableStream) -> HeaderRow:
    columns = {field: position for position, field in table.canonical.items()}
    labels = [normalise_text(cell) for cell in table.headers]
    return HeaderRow(table.header_number - 1, labels, columns)


def _complete(table: TableStream) -> None:
    missing = missing_columns(_header(table))
    if missing:
        listed = "、".join(missing)
        raise TableError(f"缺少必需的列：{listed} / required columns missing: {listed}")


def open_roster(path: Path, name: str = "") -> RosterSheet:
    """Open a roster file; RosterReadError if it is not a readable roster."""
    suffix = Path(name or path.name).suffix.lower()
    if suffix and suffix not in ACCEPTED_SUFFIXES:
        raise RosterReadError(
            f"不支持的文件类型“{suffix}”，请上传 .xlsx、.xls 或 .csv 文件 / "
            f"file type '{suffix}' is not supported: upload an .xlsx, .xls or .csv file"
        )
    try:
        table = stream_table(
            path,
            SYNONYMS,
            accept=_is_roster_header,
            check=_complete,
            search_rows=HEADER_SCAN_ROWS,
            original_name=(name or path.name) if suffix else f"{path.name}.xlsx",
            kind=KIND,
            every_sheet=True,
        )
    except NoHeaderRow as error:
        raise RosterReadError(NO_HEADER) from error
    except TableError as error:
        raise RosterReadError(str(error)) from error
    return RosterSheet(_header(table), _reading(table.rows), table.last_row)


def _reading(rows: Iterator[tuple[int, list[str]]]) -> Iterator[tuple[int, list[str]]]:
    try:
        yield from rows
    except TableError as error:  # the parsing child failed part way through the sheet
        raise RosterReadError(str(error)) from error
