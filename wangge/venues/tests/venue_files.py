"""Small venue files for the import tests: rows as dicts keyed by header, written as .xlsx, .xls
or .csv (UTF-8 or GB18030)."""

import csv
from pathlib import Path

from openpyxl import Workbook
from stdnum.cn import uscc

from wangge.core.tests.xls import write_xls
from wangge.venues.importing.headers import CANONICAL_HEADERS

VALID_USCC = "91350100M000100Y43"
OTHER_USCC = "91440300708461136T"
BAD_USCC = "91330106MA27XF6E0T"


def make_uscc(serial: int) -> str:
    """A valid 统一社会信用代码; `serial` keeps them apart."""
    first17 = f"9133010{serial:010d}"
    return first17 + uscc.calc_check_digit(first17)


def venue_row(name: str, **cells: object) -> dict[str, object]:
    """A valid row for a restaurant in grid A (第一网格 of 东社区); keyword cells override."""
    row: dict[str, object] = {
        "场所名称": name,
        "类别": "餐饮店",
        "社区": "东社区",
        "网格": "第一网格",
        "地址": "江南路1号",
    }
    row.update(cells)
    return row


def write_venues(
    path: Path,
    rows: list[dict[str, object]],
    headers: list[str] | None = None,
    title: str | None = None,
    encoding: str = "utf-8-sig",
) -> Path:
    """Write rows under `headers` (default: the canonical ones any row uses, then the others)."""
    if headers is None:
        used = {key for row in rows for key in row}
        headers = [h for h in CANONICAL_HEADERS if h in used] + sorted(
            used - set(CANONICAL_HEADERS)
        )
    lines: list[list[object]] = [[title]] if title else []
    lines.append(list(headers))
    lines += [[row.get(header, "") for header in headers] for row in rows]
    if path.suffix == ".csv":
        with path.open("w", encoding=encoding, newline="") as handle:
            csv.writer(handle).writerows(lines)
    elif path.suffix == ".xls":
        write_xls(path, [[None if v == "" else v for v in line] for line in lines])  # type: ignore[misc]
    else:
        book = Workbook()
        sheet = book.active
        assert sheet is not None
        for line in lines:
            sheet.append(line)
        book.save(path)
    return path
