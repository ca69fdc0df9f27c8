"""Reading the spreadsheets that arrive from upstream and from the field: .xlsx, .xls, .csv.

The one reader of every import. `read_table` finds the header row under any title rows (each
importer says which names its header row must hold and how many rows to search), maps header
synonyms to canonical names, skips blank rows and keeps each row's number as the user sees it in
Excel or WPS. The verification lists, the staff import, health codes, risk areas, vaccination doses
and key groups read through it; `stream_table` finds the header the same way and streams the rows
instead of holding them (the roster import, which must stay under 400 MB at 100,000 rows, and which
takes the first sheet that holds a roster); the lab-result import reads its rows through `raw_rows`
and `header_map`. Every cell becomes text through `cell_text`. Spreadsheets are parsed in a child
process under limits (`core.sheet_process`); CSV files (UTF-8 or GB18030, comma- or tab-separated)
are read here, after the same size check.
"""

import csv
import io
import re
from collections.abc import Callable, Collection, Generator, Iterator, Mapping
from contextlib import closing
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path

from wangge.core.cells import unquote
from wangge.core.identity import normalise_text
from wangge.core.sheet_process import TableError, check_upload_size, read_sheets

CSV_ENCODINGS = ("utf-8-sig", "gb18030")
CSV_SUFFIXES = {".csv", ".txt"}
SHEET_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"}
_BLANKS = re.compile(r"[*＊\s]")
_NOTE = re.compile(r"\(.*?\)$|（.*?）$")  # a closing note in brackets: 身份证号码(必填)
HEADER_SEARCH_ROWS = 10
LARGEST_EXACT = 10**15  # Excel keeps 15 significant digits


class NoHeaderRow(TableError):
    """None of the rows searched is a header row; an importer may say so in its own words."""


@dataclass
class Row:
    number: int  # 1-based, as Excel shows it
    values: dict[str, str]  # canonical header → cell text ("" when blank)
    raw: list[str] = field(default_factory=list)  # the cells as they were, for error reports


@dataclass
class Table:
    headers: list[str]  # the file's own headers, in order
    canonical: dict[int, str]  # column index → canonical name, for recognised columns
    rows: list[Row]

    def has(self, name: str) -> bool:
        return name in self.canonical.values()


def cell_text(value: object) -> str:
    """One cell as text, as the spreadsheet showed it; every reader converts cells here. An
    integral number below 10^15 becomes its digits (a phone or ID typed into a number cell); a
    larger one keeps the E-notation Excel shows (3.30102199001011E+17), so a mangled ID number stays
    visibly mangled; a date-time at midnight is its date; a quote an export put before a formula
    character is taken off (core.cells)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int | float):
        if value != value or value in (float("inf"), float("-inf")):
            return ""
        if float(value).is_integer():
            if abs(value) < LARGEST_EXACT:
                return str(int(value))
            return format(float(value), ".15G")
        return repr(float(value))
    if isinstance(value, datetime):
        if value.time() == time.min:
            return value.date().isoformat()
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.strftime("%H:%M:%S")
    return unquote(str(value).replace("\u3000", " ").strip())


def _decode(data: bytes) -> str:
    for encoding in CSV_ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise TableError(
        "无法识别文件编码（应为UTF-8或GB18030） / cannot decode the file: use UTF-8 or GB18030"
    )


def _csv_lines(text: str) -> Iterator[list[str]]:
    """The rows of a CSV text, cells as text; tab-separated when its first line has more tabs
    than commas (a sheet copied out of Excel and saved as text)."""
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if first_line.count("\t") > first_line.count(",") else ","
    try:
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            yield [cell_text(cell) for cell in row]
    except csv.Error as error:
        raise TableError(
            f"CSV文件格式错误（{error}） / the CSV file is malformed ({error})"
        ) from error


@dataclass
class Grid:
    """One sheet (or the CSV) as rows of cell text, streamed; its last row number, for progress."""

    rows: Iterator[list[str]]
    last_row: int


def _csv_grid(path: Path, kind: str) -> Grid:
    check_upload_size(path, kind)
    try:
        text = _decode(path.read_bytes())
    except OSError as error:
        raise TableError(f"无法读取文件（{error}） / cannot read the file ({error})") from error
    if "\x00" in text:
        raise TableError("该文件不是文本格式的CSV / this file is not a text CSV file")
    return Grid(_csv_lines(text), text.count("\n"))


def grids(
    path: Path | str, original_name: str = "", kind: str = "default", *, every_sheet: bool = False
) -> Generator[Grid, None, None]:
    """The CSV, or the first sheet as a grid from A1 (so that row numbers and columns are Excel's
    even when the data starts lower or further right), or with `every_sheet` each visible sheet
    from its first used cell; cells as text (cell_text). `kind` names the import, for its upload
    size limit (settings.WANGGE["UPLOAD_MAX_BYTES"]) and its sheet limits. Closing the generator
    stops the parsing child."""
    path = Path(path)
    suffix = Path(original_name or path.name).suffix.lower()
    if suffix in CSV_SUFFIXES:
        yield _csv_grid(path, kind)
        return
    if suffix not in SHEET_SUFFIXES:
        raise TableError(
            f"不支持的文件类型“{suffix}” / unsupported file type '{suffix}': use .xlsx, .xls or .csv"
        )
    with closing(read_sheets(path, first_only=not every_sheet, kind=kind)) as sheets:
        for sheet in sheets:
            yield Grid(([cell_text(c) for c in row] for row in sheet.rows), sheet.last_row)


def raw_rows(
    path: Path | str, original_name: str = "", kind: str = "default"
) -> Iterator[list[str]]:
    """The cells of the first sheet (or the CSV), as text, row by row (grids)."""
    for grid in grids(path, original_name, kind):
        yield from grid.rows


def header_key(text: object) -> str:
    """A header cell as synonyms are looked up: full-width folded, without blanks (a line break
    in a wrapped header cell) or asterisks."""
    return _BLANKS.sub("", normalise_text(text))


def header_map(headers: list[str], synonyms: Mapping[str, str]) -> dict[int, str]:
    """Column index → canonical name for each header that `synonyms` knows (synonym → canonical),
    as written or without a closing note in brackets ("*身份证号码(必填)"); the first column that
    names a canonical name has it."""
    found: dict[int, str] = {}
    for index, header in enumerate(headers):
        key = header_key(header)
        name = synonyms.get(key) or synonyms.get(_NOTE.sub("", key))
        if name is not None and name not in found.values():
            found[index] = name
    return found


@dataclass
class TableStream:
    """A table found in a file: its header row and its non-blank rows after it, streamed."""

    headers: list[str]  # the header row's cells
    canonical: dict[int, str]  # column index → canonical name, for recognised columns
    header_number: int  # the header's row number, 1-based
    rows: Iterator[tuple[int, list[str]]]  # (row number as Excel shows it, cells)
    last_row: int


Accept = Callable[[Collection[str]], bool]


def _table_in(
    grid: Grid, synonyms: Mapping[str, str], accept: Accept, search_rows: int
) -> TableStream | None:
    for number, cells in enumerate(grid.rows, start=1):
        mapping = header_map(cells, synonyms)
        if accept(mapping.values()):
            rows = ((n, c) for n, c in enumerate(grid.rows, start=number + 1) if any(c))
            return TableStream(cells, mapping, number, rows, grid.last_row)
        if number >= search_rows:
            break
    return None


def stream_table(
    path: Path | str,
    synonyms: Mapping[str, str],
    *,
    accept: Accept,
    check: Callable[[TableStream], None] = lambda table: None,
    search_rows: int = HEADER_SEARCH_ROWS,
    original_name: str = "",
    kind: str = "default",
    every_sheet: bool = False,
) -> TableStream:
    """The first table whose header row (among the top `search_rows` rows) `accept`s the canonical
    names it holds, and which `check` does not refuse (raising TableError); with `every_sheet`,
    sheets are tried in turn. Its rows are read as they are consumed (100,000 rows of a roster
    are never all held as text at once), and the parsing child stops once they are read or the
    stream is dropped. NoHeaderRow when no sheet has a header row; else the last refusal."""
    sheets = grids(path, original_name, kind, every_sheet=every_sheet)
    refusal: TableError | None = None
    try:
        for grid in sheets:
            table = _table_in(grid, synonyms, accept, search_rows)
            if table is None:
                continue
            try:
                check(table)
            except TableError as error:
                refusal = error
                continue
            table.rows = _closing_after(table.rows, sheets)
            return table
    except BaseException:
        sheets.close()
        raise
    sheets.close()
    raise refusal or NoHeaderRow(
        f"前{search_rows}行中找不到表头 / no header row found in the first {search_rows} rows"
    )


def _closing_after(
    rows: Iterator[tuple[int, list[str]]], sheets: Generator[Grid, None, None]
) -> Iterator[tuple[int, list[str]]]:
    try:
        yield from rows
    finally:
        sheets.close()


def read_table(
    path: Path | str,
    synonyms: Mapping[str, str],
    *,
    required: int = 2,
    needs: Collection[str] = (),
    search_rows: int = HEADER_SEARCH_ROWS,
    original_name: str = "",
    kind: str = "default",
) -> Table:
    """Read a table whose header row is the first of the top `search_rows` rows with `required`
    known headers, among them every canonical name in `needs` (NoHeaderRow when there is none);
    rows without a value in a recognised column are skipped."""

    def accept(names: Collection[str]) -> bool:
        return len(names) >= required and set(needs) <= set(names)

    stream = stream_table(
        path,
        synonyms,
        accept=accept,
        search_rows=search_rows,
        original_name=original_name,
        kind=kind,
    )
    table = Table(headers=stream.headers, canonical=stream.canonical, rows=[])
    for number, cells in stream.rows:
        values = {
            name: (cells[index] if index < len(cells) else "")
            for index, name in stream.canonical.items()
        }
        if any(values.values()):
            table.rows.append(Row(number=number, values=values, raw=cells))
    return table
