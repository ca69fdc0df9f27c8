"""The checks a spreadsheet passes before any parser loads it (run inside the parsing child).

An .xlsx is a zip archive of XML files. python-calamine inflates its members and builds each sheet as
one dense grid from the first used cell to the last, so a 1.6 KB file whose used range reaches
XFD1048576 asks for seventeen billion cells, and a small zip can inflate to gigabytes. Before parsing:

- every archive member's declared uncompressed size (the zip directory) is within `max_member_bytes`;
- every worksheet's declared range (`<dimension ref="A1:T500001"/>`) is within the row, column and
  cell limits;
- the real extent is within them too: each worksheet XML is streamed through `zipfile` (which stops
  at the declared size and checks the CRC, so a member that lies about its size fails here) and the
  largest row and column named by a reference (`<row r="1048576">`, `<c r="XFD1048576">`) are kept.
  A sheet whose cells carry no reference, or separate attributes by other than a space, is left to
  the child's memory limit.

Cells are counted as the grid the parser allocates: from A1 to the last row and column. This module
needs no Django: the child process imports only it and the parser.
"""

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

SHEET_MEMBER = re.compile(r"xl/worksheets/[^/]+\.xml")
DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s+ref=\"([A-Z]*)(\d*)(?::([A-Z]+)(\d+))?\"")
# In a sheet XML only rows and cells carry an `r` attribute: a row's is digits, a cell's starts with
# its column letters. A literal space before it keeps the scan near the speed of inflating.
ROW_REF = re.compile(rb' r="(\d+)"')
CELL_COLUMN = re.compile(rb' r="([A-Z]+)')
CHUNK = 1 << 20
MB = 1024 * 1024


class LimitExceeded(ValueError):
    """The file asks for more than the limits allow; the message says what, in Chinese and English."""


@dataclass(frozen=True)
class Limits:
    max_rows: int
    max_columns: int
    max_cells: int
    max_member_bytes: int


def human_size(size: int) -> str:
    """Bytes as whole MB, or KB below one MB."""
    return f"{size // MB} MB" if size >= MB else f"{max(1, size // 1024)} KB"


def column_number(letters: str) -> int:
    """A1-style column letters as a 1-based number: A → 1, Z → 26, AA → 27, XFD → 16384."""
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - ord("A") + 1
    return number


def check_extent(rows: int, columns: int, limits: Limits, what: tuple[str, str]) -> None:
    """Refuse a grid of `rows` × `columns` beyond the limits; `what` names it in both languages."""
    if rows > limits.max_rows:
        raise LimitExceeded(
            f"{what[0]}有{rows}行，超过上限{limits.max_rows}行 / "
            f"{what[1]} has {rows} rows, more than the limit of {limits.max_rows}"
        )
    if columns > limits.max_columns:
        raise LimitExceeded(
            f"{what[0]}有{columns}列，超过上限{limits.max_columns}列 / "
            f"{what[1]} has {columns} columns, more than the limit of {limits.max_columns}"
        )
    if rows * columns > limits.max_cells:
        raise LimitExceeded(
            f"{what[0]}有{rows}行×{columns}列，超过上限{limits.max_cells}个单元格 / "
            f"{what[1]} has {rows} rows × {columns} columns, more than the limit of "
            f"{limits.max_cells} cells"
        )


def check_workbook(path: Path | str, limits: Limits) -> None:
    """LimitExceeded if the archive or any worksheet in it is beyond the limits. A file that is not
    a zip archive (.xls, or no spreadsheet at all) is left to the parser, which runs under the
    child's memory limit."""
    if not zipfile.is_zipfile(path):
        return
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            for member in members:
                if member.file_size > limits.max_member_bytes:
                    raise LimitExceeded(
                        f"压缩包中的“{member.filename}”解压后有{human_size(member.file_size)}，"
                        f"超过上限{human_size(limits.max_member_bytes)} / '{member.filename}' "
                        f"in the archive inflates to {human_size(member.file_size)}, more than "
                        f"the limit of {human_size(limits.max_member_bytes)}"
                    )
            for member in members:
                if SHEET_MEMBER.fullmatch(member.filename):
                    _check_sheet(archive, member, limits)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, NotImplementedError) as error:
        raise LimitExceeded(
            f"压缩包已损坏或格式不支持（{error}） / the archive is damaged or unsupported ({error})"
        ) from error


def _check_sheet(archive: zipfile.ZipFile, member: zipfile.ZipInfo, limits: Limits) -> None:
    name = member.filename.rsplit("/", 1)[-1].removesuffix(".xml")
    declared = (f"工作表{name}声明的范围", f"the declared range of sheet {name}")
    real = (f"工作表{name}", f"sheet {name}")
    last_row = last_column = 0
    tail = b""
    first = True
    with archive.open(member) as stream:
        while block := stream.read(CHUNK):
            data = tail + block
            cut = data.rfind(b"<")
            data, tail = (data[:cut], data[cut:]) if cut > 0 else (data, b"")
            if first:
                _check_dimension(data, limits, declared)
                first = False
            rows = ROW_REF.findall(data)
            if rows:
                last_row = max(last_row, max(map(int, rows)))
            columns = set(CELL_COLUMN.findall(data))
            if columns:
                widest = max(columns, key=lambda letters: (len(letters), letters))
                last_column = max(last_column, column_number(widest.decode()))
            check_extent(last_row, last_column, limits, real)


def _check_dimension(head: bytes, limits: Limits, what: tuple[str, str]) -> None:
    match = DIMENSION.search(head)
    if match is None:
        return
    first_column, first_row, last_column, last_row = (g.decode() for g in match.groups(b""))
    if not last_column:
        last_column, last_row = first_column, first_row
    if last_column and last_row:
        check_extent(int(last_row), column_number(last_column), limits, what)
