"""Import N lab results from CSV into PostgreSQL, beside a bare COPY of the same file.

    .venv/bin/python bench/testing_import.py [--persons 1000000] [--rows 1000000]

The district of bench/testing_district.py (generated once by COPY, reused later) and one
district-wide round for the day (全区全员核酸), to which the import routes results by scope and window
(no --round). The file: ~96 %
rows matched by ID number, 1 % by phone + name, 1 % unknown ID numbers (unmatched), 1 % repeated
rows (duplicates), 1 % bad check digits (rejected), in pooled tubes of 10. Earlier results are
truncated before the timed run, which is `results_import()` in a child process (its peak RSS is
the memory figure); then the same file is imported once more (every row a duplicate). The limit beside it: PostgreSQL COPY of the same CSV into a bare table of text
columns without indexes. Prints one JSON object; asserts nothing about the clock.
"""

import argparse
import csv
import json
import random
import resource
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent))

from testing_district import OUT, id_number, setup_django  # noqa: E402

SHANGHAI = ZoneInfo("Asia/Shanghai")
DAY = datetime(2022, 4, 10, tzinfo=SHANGHAI)
HEADER = ["姓名", "证件号码", "手机号", "采样时间", "采样点", "试管编码", "检测结果", "检测机构"]


ROUND = "基准区全员核酸"


def ensure_round() -> int:
    """The district's round (created directly: the bench has no administrator session)."""
    from wangge.regions.models import Street
    from wangge.testing.models import NucleicRound

    found = NucleicRound.objects.filter(name=ROUND).first()
    if found is None:
        found = NucleicRound.objects.create(
            street=Street.objects.order_by("pk").first(),
            name=ROUND,
            scope=NucleicRound.Scope.DISTRICT,
            starts_at=DAY.replace(hour=5),
            ends_at=DAY.replace(hour=23),
        )
    return found.pk


def write_file(path: Path, persons: int, rows: int, seed: int) -> None:
    """The lab file: the categories above, shuffled into sampling order, tubes of 10."""
    from wangge.people.models import Person

    rng = random.Random(seed)
    tested = rng.sample(range(persons), min(persons, int(rows * 0.96)))
    by_phone = rng.sample(range(persons), rows // 100)
    names = dict(Person.objects.filter(pk__in=[i + 1 for i in by_phone]).values_list("pk", "name"))
    lines: list[list[str]] = []
    for index in tested:
        lines.append(["", id_number(index), "", "", "", "", "阴性", "区疾控"])
    for index in by_phone:
        lines.append(
            [names[index + 1], "", f"1{3 + index % 7}{index:09d}", "", "", "", "阴性", "区疾控"]
        )
    for unknown in range(rows // 100):
        number = id_number(persons + unknown)
        lines.append(
            [
                "外来人员",
                "410102" + number[6:17] + _check("410102" + number[6:17]),
                "",
                "",
                "",
                "",
                "阴性",
                "区疾控",
            ]
        )
    for bad in range(rows // 100):
        number = id_number(bad)
        lines.append(
            ["错号", number[:17] + ("0" if number[17] != "0" else "1"), "", "", "", "", "阴性", ""]
        )
    rng.shuffle(lines)
    for number, line in enumerate(lines):
        minute = number * 18 * 60 // max(len(lines), 1)
        line[3] = f"2022-04-10 {5 + minute // 60:02d}:{minute % 60:02d}"
        line[4] = f"采样点{number // 5000 + 1}"
        line[5] = f"T{number // 10:07d}"
    repeats = [list(rng.choice(lines)) for _ in range(rows - len(lines))]
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(lines + repeats)


def _check(first17: str) -> str:
    from wangge.core.identity import gb11643_check_digit

    return gb11643_check_digit(first17)


def truncate() -> None:
    from django.db import connection

    from wangge.testing.models import (
        LabResult,
        RejectedRow,
        ResultCorrection,
        ResultImport,
        UnmatchedResult,
    )

    tables = [
        m._meta.db_table
        for m in (ResultCorrection, RejectedRow, UnmatchedResult, LabResult, ResultImport)
    ]
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")


def child(path: str) -> None:
    from wangge.testing.services.lab.importing import results_import

    started = time.perf_counter()
    batch = results_import(path=path)
    print(json.dumps({"seconds": time.perf_counter() - started, "counts": batch.counts}))


def run_child(path: Path) -> dict:
    process = subprocess.run(
        [sys.executable, __file__, "--child", str(path)], capture_output=True, text=True, check=True
    )
    return json.loads(process.stdout.strip().splitlines()[-1])


def bare_copy(path: Path) -> float:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_bare_results")
        cursor.execute(
            "CREATE TABLE bench_bare_results (name text, id_number text, phone text, sampled_at text,"
            " site text, tube text, result text, lab text)"
        )
        started = time.perf_counter()
        with (
            cursor.cursor.copy(
                "COPY bench_bare_results FROM STDIN WITH (FORMAT csv, HEADER true)"
            ) as copy,
            path.open("rb") as handle,
        ):
            while block := handle.read(1 << 20):
                copy.write(block)
        seconds = time.perf_counter() - started
        cursor.execute("DROP TABLE bench_bare_results")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    options = parser.parse_args()
    setup_django()
    if options.child:
        child(options.child)
        return
    from testing_district import ensure_district

    district = ensure_district(options.persons, options.seed)
    round_id = ensure_round()
    path = OUT / f"testing-results-{options.persons}-{options.rows}.csv"
    if not path.exists():
        write_file(path, options.persons, options.rows, options.seed)
    truncate()
    imported = run_child(path)
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    again = run_child(path)
    copy_seconds = bare_copy(path)
    rows_per_second = options.rows / imported["seconds"]
    copy_rows_per_second = options.rows / copy_seconds
    print(
        json.dumps(
            {
                "benchmark": "testing_import",
                "database": "postgresql",
                "persons": options.persons,
                "round": round_id,
                "rows": options.rows,
                "district": district,
                "counts": imported["counts"],
                "import_seconds": round(imported["seconds"], 1),
                "import_rows_per_second": round(rows_per_second),
                "import_peak_rss_mb": round(peak_mb),
                "bare_copy_seconds": round(copy_seconds, 1),
                "bare_copy_rows_per_second": round(copy_rows_per_second),
                "copy_to_import_ratio": round(copy_rows_per_second / rows_per_second, 1),
                "reimport_seconds": round(again["seconds"], 1),
                "reimport_counts": again["counts"],
            },
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main()
