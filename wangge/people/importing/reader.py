"""Reading a roster file: .xlsx/.xls (as Excel or WPS save them, through python-calamine) or .csv.

A CSV file may be UTF-8 with or without a byte-order mark, or GB18030 (which covers GBK and the rare
characters of names). Every cell becomes text through core.spreadsheets.cell_text, the way the
spreadsheet showed it: a number mangled into E-notation (3.30102199001011E+17) is rejected by the ID
check — it is never repaired.
A spreadsheet is parsed in a child process under limits (`core.sheet_process`), its rows streamed
back while they are checked; a CSV file is read here, after the same upload size check.
"""

import csv
import io
from collections.abc import Generator, Iterator
from dataclasses import dataclass
from pathlib import Path

from wangge.core.cells import unquote
from wangge.core.sheet_process import Sheet, TableError, check_upload_size, read_sheets
from wangge.core.spreadsheets import cell_text
from wangge.people.importing.headers import (
    HEADER_SCAN_ROWS,
    HeaderRow,
    header_row,
    missing_columns,
)

CSV_SUFFIXES = {".csv", ".txt"}
SPREADSHEET_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"}
ACCEPTED_SUFFIXES = CSV_SUFFIXES | SPREADSHEET_SUFFIXES
KIND = "roster"  # for the upload size limit


class RosterReadError(Exception):
    """The file cannot be read as a roster at all; the message says why, in Chinese and English."""


@dataclass
class RosterSheet:
    """The header of a roster and its data rows as (row number as the spreadsheet shows it, cells)."""

    header: HeaderRow
    rows: Iterator[tuple[int, list[str]]]
    last_row: int  # the last row number of the sheet, for progress


def open_roster(path: Path, name: str = "") -> RosterSheet:
    """Open a roster file; RosterReadError if it is not a readable roster."""
    suffix = Path(name or path.name).suffix.lower()
    if suffix and suffix not in ACCEPTED_SUFFIXES:
        raise RosterReadError(
            f"不支持的文件类型“{suffix}”，请上传 .xlsx、.xls 或 .csv 文件 / "
            f"file type '{suffix}' is not supported: upload an .xlsx, .xls or .csv file"
        )
    try:
        if suffix in CSV_SUFFIXES:
            check_upload_size(path, KIND)
            return _from_lines(_csv_rows(path), _count_lines(path))
        return _first_roster_sheet(read_sheets(path, first_only=False, kind=KIND))
    except TableError as error:
        raise RosterReadError(str(error)) from error


def _first_roster_sheet(sheets: Generator[Sheet, None, None]) -> RosterSheet:
    """The first visible sheet with a roster header; its rows keep the parsing child alive until
    they are read (or dropped)."""
    problem: RosterReadError = _NoHeader()
    try:
        for sheet in sheets:
            rows = ([cell_text(value) for value in row] for row in sheet.rows)
            try:
                roster = _from_lines(rows, sheet.last_row)
            except _NoHeader:
                continue
            except RosterReadError as error:  # a roster sheet, but columns are missing
                problem = error
                continue
            roster.rows = _closing_after(roster.rows, sheets)
            return roster
    except BaseException:
        sheets.close()
        raise
    sheets.close()
    raise problem


def _closing_after(
    rows: Iterator[tuple[int, list[str]]], sheets: Generator[Sheet, None, None]
) -> Iterator[tuple[int, list[str]]]:
    try:
        yield from rows
    except TableError as error:  # the child failed part way through the sheet
        raise RosterReadError(str(error)) from error
    finally:
        sheets.close()


class _NoHeader(RosterReadError):
    def __init__(self) -> None:
        super().__init__(
            "未找到表头：前20行中没有包含“姓名”和“身份证号”等列名的行 / no header row found: "
            "none of the first 20 rows names the columns (姓名, 身份证号, …)"
        )


def _from_lines(lines: Iterator[list[str]], last_row: int) -> RosterSheet:
    for index, cells in enumerate(lines):
        if index >= HEADER_SCAN_ROWS:
            break
        header = header_row(index, cells)
        if header is None:
            continue
        missing = missing_columns(header)
        if missing:
            listed = "、".join(missing)
            raise RosterReadError(f"缺少必需的列：{listed} / required columns missing: {listed}")
        return RosterSheet(header=header, rows=_data_rows(lines, index + 1), last_row=last_row)
    raise _NoHeader()


def _data_rows(lines: Iterator[list[str]], start: int) -> Iterator[tuple[int, list[str]]]:
    for offset, cells in enumerate(lines):
        if any(cells):
            yield start + offset + 1, cells


def _decode(raw: bytes) -> str:
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("gb18030")
    except UnicodeDecodeError as error:
        raise RosterReadError(
            "无法识别CSV文件的编码，请另存为UTF-8或GB18030 / cannot tell the CSV file's encoding: "
            "save it as UTF-8 or GB18030"
        ) from error


def _csv_rows(path: Path) -> Iterator[list[str]]:
    try:
        text = _decode(path.read_bytes())
    except OSError as error:
        raise RosterReadError(
            f"无法读取文件（{error}） / cannot read the file ({error})"
        ) from error
    if "\x00" in text:
        raise RosterReadError("该文件不是文本格式的CSV / this file is not a text CSV file")
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if first_line.count("\t") > first_line.count(",") else ","
    try:
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            yield [unquote(cell.strip()) for cell in row]
    except csv.Error as error:
        raise RosterReadError(
            f"CSV文件格式错误（{error}） / the CSV file is malformed ({error})"
        ) from error


def _count_lines(path: Path) -> int:
    with path.open("rb") as handle:
        return sum(block.count(b"\n") for block in iter(lambda: handle.read(1 << 20), b""))
