"""Reading a venue file (.xlsx, .xls as Excel or WPS save them, .csv in UTF-8 or GB18030) through
core.spreadsheets: the first visible sheet whose header row (among the top 20 rows) names the
venue's columns and holds every required one; its rows are streamed, never all held at once."""

from collections.abc import Collection, Generator, Iterator
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
from wangge.venues.importing.headers import HEADER_OF, HEADER_SCAN_ROWS, REQUIRED_FIELDS, SYNONYMS

ACCEPTED_SUFFIXES = CSV_SUFFIXES | SHEET_SUFFIXES
KIND = "venues"  # for the upload size limit
NO_HEADER = (
    "未找到表头：前20行中没有包含“场所名称”“类别”等列名的行 / no header row found: none of the "
    "first 20 rows names the columns (场所名称, 类别, …)"
)


class VenueReadError(Exception):
    """The file cannot be read as a venue list at all; the message says why, in both languages."""


@dataclass
class VenueSheet:
    labels: list[str]  # the header cells as the file has them
    columns: dict[str, int]  # field → column position
    rows: Generator[tuple[int, list[str]], None, None]  # (row number as Excel shows it, cells)
    header_number: int  # 1-based
    last_row: int

    @property
    def data_rows(self) -> int:
        """The rows under the header, blank ones included (for sizing the job)."""
        return max(0, self.last_row - self.header_number)

    def close(self) -> None:
        """Stop reading (the parsing child ends)."""
        self.rows.close()

    def label(self, field: str) -> str:
        """The header as the user wrote it, for messages; the canonical one if absent."""
        position = self.columns.get(field)
        return self.labels[position] if position is not None else HEADER_OF.get(field, field)


def _is_header(names: Collection[str]) -> bool:
    known = set(names) - {"serial"}
    return len(known) >= 2 and "name" in known


def _complete(table: TableStream) -> None:
    missing = [HEADER_OF[f] for f in REQUIRED_FIELDS if f not in table.canonical.values()]
    if missing:
        listed = "、".join(missing)
        raise TableError(f"缺少必需的列：{listed} / required columns missing: {listed}")


def open_venues(path: Path, name: str = "") -> VenueSheet:
    """Open a venue file; VenueReadError if it is not a readable venue list."""
    suffix = Path(name or path.name).suffix.lower()
    if suffix not in ACCEPTED_SUFFIXES:
        raise VenueReadError(
            f"不支持的文件类型“{suffix}”，请上传 .xlsx、.xls 或 .csv 文件 / "
            f"file type '{suffix}' is not supported: upload an .xlsx, .xls or .csv file"
        )
    try:
        table = stream_table(
            path,
            SYNONYMS,
            accept=_is_header,
            check=_complete,
            search_rows=HEADER_SCAN_ROWS,
            original_name=name or path.name,
            kind=KIND,
            every_sheet=True,
        )
    except NoHeaderRow as error:
        raise VenueReadError(NO_HEADER) from error
    except TableError as error:
        raise VenueReadError(str(error)) from error
    columns = {field: position for position, field in table.canonical.items()}
    labels = [normalise_text(cell) for cell in table.headers]
    return VenueSheet(labels, columns, _reading(table.rows), table.header_number, table.last_row)


def _reading(
    rows: Iterator[tuple[int, list[str]]],
) -> Generator[tuple[int, list[str]], None, None]:
    try:
        yield from rows
    except TableError as error:  # the parsing child failed part way through the sheet
        raise VenueReadError(str(error)) from error
