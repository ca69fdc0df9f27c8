"""Small roster files for the import tests: rows as dicts keyed by header, written as .xlsx or .csv."""

import csv
from pathlib import Path

from openpyxl import Workbook

from conftest import make_id_number
from wangge.people.importing.headers import CANONICAL_HEADERS

PLACE = {
    "社区": "东社区",
    "网格": "第一网格",
    "小区": "阳光花园",
    "楼栋": "5幢",
    "单元": "1",
    "房号": "101",
}


def person_row(serial: int, name: str, **cells: object) -> dict[str, object]:
    """A valid row for a new person in grid A (第一网格 of 东社区); keyword cells override."""
    row: dict[str, object] = {
        "姓名": name,
        "身份证号": make_id_number(serial),
        "联系电话": f"139{serial:08d}",
        **PLACE,
    }
    row.update(cells)
    return row


def write_roster(
    path: Path,
    rows: list[dict[str, object]],
    headers: list[str] | None = None,
    title: str | None = None,
    blank_rows_after: tuple[int, ...] = (),
    encoding: str = "utf-8-sig",
) -> Path:
    """Write rows under `headers` (default: the canonical ones used by any row) to .xlsx or .csv."""
    if headers is None:
        used = {key for row in rows for key in row}
        headers = [h for h in CANONICAL_HEADERS if h in used]
        headers += sorted(used - set(headers))
    lines: list[list[object]] = []
    if title:
        lines.append([title])
    lines.append(list(headers))
    for index, row in enumerate(rows):
        lines.append([row.get(header, "") for header in headers])
        if index in blank_rows_after:
            lines.append([])
    if path.suffix == ".csv":
        with path.open("w", encoding=encoding, newline="") as handle:
            csv.writer(handle).writerows(lines)
        return path
    workbook = Workbook()
    sheet = workbook.active
    for line in lines:
        sheet.append(line)
    workbook.save(path)
    return path
