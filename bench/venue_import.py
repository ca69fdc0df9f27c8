"""Venue import benchmark: ours end to end vs. the raw read of the same file, in the same run.

    .venv/bin/python bench/venue_import.py                      # 20,000 rows, .xlsx, SQLite
    .venv/bin/python bench/venue_import.py --postgres postgres://postgres@127.0.0.1:5432

Generates a venue register .xlsx (seed 1: 20 grids in 4 communities, every kind and its synonyms,
valid USCCs for most rows and 2 % failing the check, mobile phones written as people write them
(Excel numbers, or grouped as 178-3401-9904),
staff counts and coordinates as Excel numbers), then measures, each in its own subprocess on its
own empty database under bench/out/venue-import/ (so var/ is never touched):

- read: the file read and every row checked (importing.pipeline.parse_file), nothing matched or
  written: the floor of any import of this file;
- ours: `venue_import_file` end to end, as `manage.py import_venues` runs it — read, check, match
  against the register, create the venues with their codes and timeline lines, one transaction,
  on the job record, audited;
- ours_again: the same file again on the database ours left (every row unchanged).

With --postgres URL, ours and ours_again also run on PostgreSQL (database wangge_bench_venues,
dropped and made afresh). Prints one JSON object: rows per second (wall clock and per CPU second,
the parsing child's CPU included), seconds, peak RSS, and ours as a ratio of the read. Benchmarks
assert nothing.
"""

import argparse
import json
import os
import platform
import random
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out" / "venue-import"
STREET = "江南街道"
PG_DATABASE = "wangge_bench_venues"
COMMUNITIES = ("东社区", "西社区", "南社区", "北社区")
GRIDS = 5
MOBILE_PREFIXES = ("135", "136", "137", "138", "139", "150", "158", "178", "186", "188")
sys.path[:0] = [str(ROOT)]


def make_file(rows: int, seed: int, path: Path) -> Path:
    """The register as a street office would send it: a title row, then the rows."""
    if path.exists():
        return path
    from openpyxl import Workbook
    from stdnum.cn import uscc

    kinds = [
        ("餐饮店", "饭店", "餐馆"),
        ("商超", "超市", "便利店"),
        ("药店", "药房"),
        ("物流寄递", "快递"),
        ("企业", "公司"),
        ("宾馆", "酒店"),
        ("市场摊位", "摊位"),
    ]
    rng = random.Random(seed)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("场所")
    sheet.append([f"{STREET}场所登记表"])
    sheet.append(
        [
            "序号",
            "店名",
            "行业",
            "社区",
            "网格",
            "地址",
            "统一社会信用代码",
            "负责人",
            "联系电话",
            "员工数",
            "经度",
            "纬度",
        ]
    )
    for serial in range(1, rows + 1):
        first17 = f"91330{serial:012d}"
        code = first17 + uscc.calc_check_digit(first17)
        roll = rng.random()
        if roll < 0.02:
            code = code[:-1] + ("0" if code[-1] != "0" else "1")  # fails its check
        elif roll < 0.2:
            code = ""
        mobile = f"{rng.choice(MOBILE_PREFIXES)}{rng.randrange(10**8):08d}"
        phone = f"{mobile[:3]}-{mobile[3:7]}-{mobile[7:]}" if rng.random() < 0.3 else int(mobile)
        sheet.append(
            [
                serial,
                f"{rng.choice('老王张李赵刘陈')}记{serial}号店",
                rng.choice(rng.choice(kinds)),
                community := rng.choice(COMMUNITIES),
                f"{community[0]}第{rng.randrange(1, GRIDS + 1)}网格",
                f"江南路{rng.randrange(1, 999)}号",
                code,
                rng.choice("王张李赵刘陈") + rng.choice("一二三四五六"),
                phone,
                float(rng.randrange(1, 80)),
                round(120 + rng.random(), 6),
                round(30 + rng.random(), 6),
            ]
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


# Child side ------------------------------------------------------------------------------------
def _setup(var: Path, postgres: str | None, fresh: bool) -> None:
    if fresh and var.exists():
        shutil.rmtree(var)
    var.mkdir(parents=True, exist_ok=True)
    os.environ["WANGGE_VAR_DIR"] = str(var)
    os.environ.pop("DATABASE_URL", None)
    if postgres and fresh:
        import psycopg

        with psycopg.connect(f"{postgres}/postgres", autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {PG_DATABASE}")
            admin.execute(f"CREATE DATABASE {PG_DATABASE}")
    if postgres:
        os.environ["DATABASE_URL"] = f"{postgres}/{PG_DATABASE}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "wangge.settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    if fresh:
        from wangge.regions.models import Community, Grid, Street

        street = Street.objects.create(name=STREET, area_code="0571")
        for name in COMMUNITIES:
            community = Community.objects.create(street=street, name=name)
            for number in range(1, GRIDS + 1):
                Grid.objects.create(community=community, name=f"{name[0]}第{number}网格")


def child(measure: str, path: Path, postgres: str | None) -> None:
    again = measure == "ours_again"
    var = OUT / (
        f"var-ours{'-pg' if postgres else ''}" if measure.startswith("ours") else "var-read"
    )
    _setup(var, postgres, fresh=not again)
    from wangge.regions.models import Street
    from wangge.venues.importing.pipeline import parse_file
    from wangge.venues.importing.service import venue_import_file

    street = Street.objects.get(name=STREET)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started, cpu = time.perf_counter(), time.process_time()
    if measure == "read":
        parsed = parse_file(path, path.name, street)
        rows, counts = parsed.data_rows, {"rejected": len(parsed.rejections)}
    else:
        counts = venue_import_file(path=path, street=street).counts
        rows = sum(counts[key] for key in ("created", "updated", "unchanged", "rejected"))
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu
    parsers = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu_seconds += parsers.ru_utime + parsers.ru_stime - before.ru_utime - before.ru_stime
    print(
        json.dumps(
            {
                "rows": rows,
                "counts": counts,
                "seconds": round(seconds, 2),
                "cpu_seconds": round(cpu_seconds, 2),
                "rows_per_second": round(rows / seconds),
                "rows_per_cpu_second": round(rows / cpu_seconds),
                "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
            },
            ensure_ascii=False,
        )
    )


# Parent side -----------------------------------------------------------------------------------
def measure(name: str, path: Path, postgres: str | None = None) -> dict:
    command = [sys.executable, __file__, "--child", name, "--file", str(path)]
    if postgres:
        command += ["--postgres", postgres]
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    if done.returncode:
        return {"error": done.stderr.strip().splitlines()[-1]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--postgres", help="also run ours on PostgreSQL at this server URL")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--file", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.file, args.postgres)
        return
    path = make_file(args.rows, args.seed, OUT / f"venues-{args.rows}-{args.seed}.xlsx")
    load_at_start = [round(x, 2) for x in os.getloadavg()]
    results = {
        "read": measure("read", path),
        "ours": measure("ours", path),
        "ours_again": measure("ours_again", path),
    }
    if args.postgres:
        results["ours_postgres"] = measure("ours", path, args.postgres)
        results["ours_again_postgres"] = measure("ours_again", path, args.postgres)
    read = results["read"]
    ratios = {
        f"{name}_vs_read": {
            "wall": round(result["rows_per_second"] / read["rows_per_second"], 2),
            "cpu": round(result["rows_per_cpu_second"] / read["rows_per_cpu_second"], 2),
        }
        for name, result in results.items()
        if name != "read" and "error" not in result and "error" not in read
    }
    print(
        json.dumps(
            {
                "file": str(path.relative_to(ROOT)),
                "machine": f"{platform.machine()}, {os.cpu_count()} CPUs",
                "load_at_start": load_at_start,
                "results": results,
                "ratios": ratios,
            },
            ensure_ascii=False,
            indent=1,
        )
    )


if __name__ == "__main__":
    main()
