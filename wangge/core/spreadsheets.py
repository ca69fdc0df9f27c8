"""Reading the spreadsheets that arrive from upstream and from the field: .xlsx, .xls, .csv.

`read_table` finds the header row under any title rows (each importer says which names its header
row must hold and how many rows to search), maps header synonyms to canonical names, skips blank
rows and keeps each row's number as the user sees it in Excel or WPS. The verification lists, the
staff import, health codes, risk areas, vaccination doses and key groups read through it; the
lab-result import reads its rows through `raw_rows` and `header_map`; the roster import keeps its
own streaming reader (`people.importing.reader`, which must stay under 400 MB at 100,000 rows).
Spreadsheets are parsed in a child process under limits (`core.sheet_process`); CSV files are read
here, after the same size check.
"""

import csv
import io
from collections.abc import Collection, Iterator, Mapping
from contextlib import closing
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path

from wangge.core.cells import unquote
from wangge.core.identity import normalise_text
from wangge.core.sheet_process import TableError, check_upload_size, read_sheets

CSV_ENCODINGS = ("utf-8-sig", "gb18030")
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


def _csv_rows(data: bytes) -> list[list[str]]:
    for encoding in CSV_ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        try:
            return list(csv.reader(io.StringIO(text)))
        except csv.Error as error:
            raise TableError(
                f"CSV文件格式错误（{error}） / the CSV file is malformed ({error})"
            ) from error
    raise TableError(
        "无法识别文件编码（应为UTF-8或GB18030） / cannot decode the file: use UTF-8 or GB18030"
    )


def raw_rows(
    path: Path | str, original_name: str = "", kind: str = "default"
) -> Iterator[list[str]]:
    """The cells of the first sheet (or the CSV), as text, row by row; the sheet as a grid from A1,
    so that row numbers and columns are Excel's even when the data starts lower or further right.
    `kind` names the import, for its upload size limit (settings.WANGGE["UPLOAD_MAX_BYTES"])."""
    path = Path(path)
    suffix = Path(original_name or path.name).suffix.lower()
    if suffix == ".csv":
        check_upload_size(path, kind)
        yield from ([cell_text(c) for c in row] for row in _csv_rows(path.read_bytes()))
        return
    if suffix not in {".xlsx", ".xlsm", ".xls", ".ods"}:
        raise TableError(
            f"不支持的文件类型“{suffix}” / unsupported file type '{suffix}': use .xlsx, .xls or .csv"
        )
    with closing(read_sheets(path, first_only=True, kind=kind)) as sheets:
        for sheet in sheets:
            yield from ([cell_text(c) for c in row] for row in sheet.rows)


def header_map(headers: list[str], synonyms: Mapping[str, str]) -> dict[int, str]:
    """Column index → canonical name for each header that `synonyms` knows (synonym → canonical)."""
    found: dict[int, str] = {}
    for index, header in enumerate(headers):
        key = normalise_text(header).replace(" ", "").replace("*", "")
        if key in synonyms and synonyms[key] not in found.values():
            found[index] = synonyms[key]
    return found


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
    known headers, among them every canonical name in `needs` (NoHeaderRow when there is none)."""
    rows = iter(raw_rows(path, original_name, kind))
    headers: list[str] = []
    canonical: dict[int, str] = {}
    number = 0
    for cells in rows:
        number += 1
        mapping = header_map(cells, synonyms)
        if len(mapping) >= required and set(needs) <= set(mapping.values()):
            headers, canonical = cells, mapping
            break
        if number >= search_rows:
            break
    if not canonical:
        raise NoHeaderRow(
            f"前{search_rows}行中找不到表头 / no header row found in the first {search_rows} rows"
        )
    table = Table(headers=headers, canonical=canonical, rows=[])
    for cells in rows:
        number += 1
        if not any(cells):
            continue
        values = {
            name: (cells[index] if index < len(cells) else "") for index, name in canonical.items()
        }
        if not any(values.values()):
            continue
        table.rows.append(Row(number=number, values=values, raw=cells))
    return table
