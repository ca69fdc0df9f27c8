"""A 500,000-row, 20-column roster passes the spreadsheet limits and the parser's memory limit.

    .venv/bin/python bench/sheet_limits.py                 # 500,000 rows × 20 columns
    .venv/bin/python bench/sheet_limits.py --rows 100000

Writes an .xlsx of that size under bench/out/sheet-limits/ (sheet XML streamed straight into the
archive: a title-less header row of the roster's canonical headers, then rows of text and
numbers), then, with the default settings (settings.WANGGE: SHEET_MAX_*, UPLOAD_MAX_BYTES,
SHEET_PARSER_MEMORY_BYTES):

- check: the checks alone (`core.sheet_limits.check_workbook`: declared sizes, declared range,
  real extent streamed through the sheet XML);
- read: the whole file through `core.sheet_process.read_sheets` as the roster reader reads it
  (checks, parse in the child under RLIMIT_AS, rows streamed back), counting rows.

Prints one JSON object: the file's size, the sheet XML's inflated size, seconds for each step,
the rows read and the child's peak RSS. Benchmarks assert nothing.
"""

import argparse
import json
import os
import resource
import sys
import time
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out" / "sheet-limits"
sys.path[:0] = [str(ROOT)]

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
    'package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.'
    'openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/'
    'xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
    'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
    'officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/'
    'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships"><sheets><sheet name="花名册" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
    'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
    'officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
)


def column_letters(number: int) -> str:
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def write_roster(path: Path, rows: int, columns: int) -> None:
    from wangge.people.importing.headers import CANONICAL_HEADERS

    headers = list(CANONICAL_HEADERS[:columns])
    letters = [column_letters(i + 1) for i in range(columns)]
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(
                b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.'
                b'openxmlformats.org/spreadsheetml/2006/main"><dimension ref="A1:'
                + f"{letters[-1]}{rows + 1}".encode()
                + b'"/><sheetData>'
            )
            for number in range(1, rows + 2):
                values = headers if number == 1 else _row_values(number, columns)
                cells = "".join(
                    f'<c r="{letter}{number}" t="inlineStr"><is><t>{escape(value)}</t></is></c>'
                    for letter, value in zip(letters, values, strict=True)
                )
                sheet.write(f'<row r="{number}">{cells}</row>'.encode())
            sheet.write(b"</sheetData></worksheet>")


def _row_values(number: int, columns: int) -> list[str]:
    return [f"值{number}-{column}" for column in range(columns)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=500_000)
    parser.add_argument("--columns", type=int, default=20)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wangge.settings")
    os.environ.setdefault("WANGGE_VAR_DIR", str(OUT / "var"))
    import django

    django.setup()
    from contextlib import closing

    from django.conf import settings

    from wangge.core.sheet_limits import Limits, check_workbook
    from wangge.core.sheet_process import read_sheets

    path = OUT / f"roster-{args.rows}x{args.columns}.xlsx"
    started = time.perf_counter()
    if not path.exists():
        write_roster(path, args.rows, args.columns)
    written = time.perf_counter() - started
    wangge = settings.WANGGE
    limits = Limits(
        max_rows=wangge["SHEET_MAX_ROWS"],
        max_columns=wangge["SHEET_MAX_COLUMNS"],
        max_cells=wangge["SHEET_MAX_CELLS"],
        max_member_bytes=wangge["SHEET_MAX_MEMBER_BYTES"],
    )
    started = time.perf_counter()
    check_workbook(path, limits)
    checked = time.perf_counter() - started
    started = time.perf_counter()
    rows = 0
    with closing(read_sheets(path, first_only=False, kind="roster")) as sheets:
        for sheet in sheets:
            rows += sum(1 for _ in sheet.rows)
    read = time.perf_counter() - started
    child = resource.getrusage(resource.RUSAGE_CHILDREN)
    with zipfile.ZipFile(path) as archive:
        inflated = archive.getinfo("xl/worksheets/sheet1.xml").file_size
    print(
        json.dumps(
            {
                "rows": args.rows,
                "columns": args.columns,
                "file_mb": round(path.stat().st_size / 2**20, 1),
                "sheet_xml_mb": round(inflated / 2**20, 1),
                "write_seconds": round(written, 1),
                "check_seconds": round(checked, 1),
                "read_seconds": round(read, 1),
                "rows_read": rows,
                "child_cpu_seconds": round(child.ru_utime + child.ru_stime, 1),
                "child_peak_rss_mb": round(child.ru_maxrss / 1024),
                "limits": {
                    "rows": limits.max_rows,
                    "columns": limits.max_columns,
                    "cells": limits.max_cells,
                    "member_mb": limits.max_member_bytes // 2**20,
                    "roster_upload_mb": wangge["UPLOAD_MAX_BYTES"]["roster"] // 2**20,
                    "parser_memory_gib": wangge["SHEET_PARSER_MEMORY_BYTES"] / 2**30,
                },
                "load_average": [round(x, 2) for x in os.getloadavg()],
            }
        )
    )


if __name__ == "__main__":
    main()
