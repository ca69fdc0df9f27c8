"""The roster export and import of one street of the 2,000,000-person district, on PostgreSQL.

    .venv/bin/python bench/district_jobs.py

On bench/district_data.py's district (database `bench_district`; street 1 holds real sealed ID
numbers and phones), as the street's commander (`bench-street-01`), each job run in this process
the way a worker runs it (the inline limits raised, so `job_start` runs it here):

1. export: `person_export` of the whole street with full identifiers — the job reads the street's
   persons, unseals each ID number and phone, and writes the watermarked workbook;
2. import: that workbook imported again into the street with `roster_import_file` (the command
   line's import: a batch and its "roster.import" job): every row read, checked, matched against
   the register and found unchanged;
3. import, changed: the same workbook with every phone changed, imported again: every row matched
   and its person updated (audited, its history recorded).

These are jobs, not pages: each is reported as its rows, seconds and rows per second, with the
load average. Prints one JSON object (also written to bench/out/district-jobs/result.json).
"""

import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out" / "district-jobs"
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]
os.environ["WANGGE_EXPORT_INLINE_MAX_ROWS"] = "100000000"
os.environ["WANGGE_IMPORT_INLINE_MAX_ROWS"] = "100000000"

import district_data  # noqa: E402


def timed(name: str, run: Callable[[], tuple[Any, int]], results: dict) -> Any:
    load = os.getloadavg()[0]
    started = time.perf_counter()
    value, rows = run()
    seconds = time.perf_counter() - started
    results[name] = {
        "rows": rows,
        "seconds": round(seconds, 1),
        "rows_per_second": round(rows / seconds),
        "load_average": [round(load, 1), round(os.getloadavg()[0], 1)],
    }
    print(name, results[name], file=sys.stderr, flush=True)
    return value


def changed_phones(source: Path, target: Path) -> None:
    """The workbook with every phone number changed (its last digit turned), written anew."""
    from openpyxl import Workbook, load_workbook

    from wangge.people.importing.headers import CANONICAL_HEADERS

    column = CANONICAL_HEADERS.index("联系电话")
    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    rows = load_workbook(source, read_only=True).worksheets[0].iter_rows(values_only=True)
    for row in rows:
        cells = list(row)
        phone = str(cells[column] or "") if len(cells) > column else ""
        if phone.isdigit() and len(phone) == 11:
            cells[column] = phone[:-1] + str((int(phone[-1]) + 1) % 10)
        sheet.append(cells)
    book.save(target)


def main() -> None:
    district_data.ready()
    district_data.build()
    from django.conf import settings

    from wangge.accounts.models import User
    from wangge.core.exports import result_path
    from wangge.people.exporting import person_export
    from wangge.people.importing.service import roster_import_file
    from wangge.regions.models import Street

    commander = User.objects.get(username="bench-street-01")
    street = Street.objects.order_by("pk").first()
    results: dict = {}

    def export() -> tuple[Path, int]:
        job = person_export(by=commander, reason="screening")
        return result_path(job), job.total

    exported = timed("export", export, results)

    def imported(path: Path) -> tuple[dict, int]:
        outcome = roster_import_file(path=path, street_name=street.name, by=commander)
        return outcome.counts, results["export"]["rows"]

    results["import_counts"] = timed("import_unchanged", lambda: imported(exported), results)
    changed = OUT / "changed.xlsx"
    OUT.mkdir(parents=True, exist_ok=True)
    changed_phones(exported, changed)
    results["import_changed_counts"] = timed("import_changed", lambda: imported(changed), results)
    result = {"bench": "district_jobs", "street": street.name, "media": settings.MEDIA_ROOT}
    result.update(results)
    (OUT / "result.json").write_text(json.dumps(result, ensure_ascii=False, indent=1, default=str))
    print(json.dumps(result, ensure_ascii=False, default=str))


if __name__ == "__main__":
    main()
