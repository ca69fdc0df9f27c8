"""The trace of an index case at 10,000,000 scans and visits, on PostgreSQL: the candidates
(`services.engine.find_candidates`) with hops=1, timed over several runs; the size of the second
hop (its seed rows, and the rows in their time buckets) and one run of hops=2 under a time bound
(--bound-seconds, a statement timeout, and a 6 GB memory bound on the process); one `trace_run`
writing the first hop's candidates; beside them, in the same run, the naive self-join of the
case's scans and visits on place and time. Prints one JSON line (and each part on stderr as it
comes) with min / median / max and the ratio naive / engine.

    .venv/bin/python bench/tracing.py [--runs 5] [--naive-runs 3] [--only build|engine|naive]

The data: bench/tracing_data.py (sizes in its docstring).
"""

import argparse
import json
import resource
import statistics
import sys
import time
from typing import Any

from tracing_data import DATABASE_URL, REPORTED_ON, build
from verification_data import setup

MEMORY_BOUND = 6 * 1024**3

NAIVE_SQL = """
SELECT s2.person_id, s2.checkpoint_id, s2.scanned_at, s1.scanned_at
FROM checkpoints_scan s1
JOIN checkpoints_scan s2
  ON s2.checkpoint_id = s1.checkpoint_id
 AND abs(extract(epoch FROM s2.scanned_at - s1.scanned_at)) <= %(seconds)s
WHERE s1.person_id = %(person)s AND s1.scanned_at >= %(start)s AND s1.scanned_at < %(end)s
  AND s2.person_id IS NOT NULL AND s2.person_id <> s1.person_id
UNION ALL
SELECT v2.person_id, v2.venue_id, v2.at, v1.at
FROM venues_visit v1
JOIN venues_visit v2
  ON v2.venue_id = v1.venue_id
 AND abs(extract(epoch FROM v2.at - v1.at)) <= %(seconds)s
WHERE v1.person_id = %(person)s AND v1.at >= %(start)s AND v1.at < %(end)s
  AND v2.person_id IS NOT NULL AND v2.person_id <> v1.person_id
"""


def timed(run: Any, runs: int) -> tuple[dict, Any]:
    """min / median / max milliseconds of `runs` runs after one warm-up; the last run's result."""
    result = run()
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        result = run()
        timings.append((time.perf_counter() - started) * 1000)
    return {
        "n": runs,
        "min_ms": round(min(timings), 1),
        "median_ms": round(statistics.median(timings), 1),
        "max_ms": round(max(timings), 1),
    }, result


def naive(case: Any, window_minutes: int) -> list[tuple]:
    """The self-join as one writes it first: no time bounds an index can use."""
    from django.db import connection

    from wangge.tracing.services.engine import lookback

    start, end = lookback(case.reported_on)
    params = {"seconds": window_minutes * 60, "person": case.person_id, "start": start, "end": end}
    with connection.cursor() as cursor:
        cursor.execute(NAIVE_SQL, params)
        return cursor.fetchall()


HOP2_BOUND_SQL = """
WITH seed AS (
    SELECT {place} AS place, FLOOR(EXTRACT(EPOCH FROM {at}) / %(seconds)s) AS b, COUNT(*) AS n
    FROM {table} WHERE person_id = ANY(%(seeds)s) AND {at} >= %(start)s AND {at} < %(end)s
    GROUP BY 1, 2
), everyone AS (
    SELECT {place} AS place, FLOOR(EXTRACT(EPOCH FROM {at}) / %(seconds)s) AS b, COUNT(*) AS n
    FROM {table} WHERE {at} >= %(start)s - interval '1 hour' AND {at} < %(end)s + interval '1 hour'
    GROUP BY 1, 2
)
SELECT COALESCE(SUM(seed.n), 0), COALESCE(SUM(seed.n * everyone.n), 0)
FROM seed JOIN everyone ON everyone.place = seed.place AND everyone.b = seed.b
"""


def hop2_bound(case: Any, first: list[int], window_minutes: int) -> dict:
    """The second hop's size: the first-hop persons' rows in the lookback (its seeds), and the rows
    at the same place and in the same time bucket as each seed row (about the pairs to expect)."""
    from django.db import connection

    from wangge.tracing.services.engine import lookback

    start, end = lookback(case.reported_on)
    params = {"seeds": first, "start": start, "end": end, "seconds": window_minutes * 60}
    out = {}
    for name, table, place, at in (
        ("scans", "checkpoints_scan", "checkpoint_id", "scanned_at"),
        ("visits", "venues_visit", "venue_id", "at"),
    ):
        with connection.cursor() as cursor:
            cursor.execute(HOP2_BOUND_SQL.format(table=table, place=place, at=at), params)
            seeds, same_bucket = cursor.fetchone()
        out[name] = {"seed_rows": int(seeds), "rows_in_the_seeds_buckets": int(same_bucket)}
    return out


def attempt(run: Any, seconds: int) -> tuple[dict, Any]:
    """One run under a statement timeout (and the process's memory bound): its time, or why not."""
    from django.core.exceptions import ValidationError
    from django.db import DatabaseError, connection

    with connection.cursor() as cursor:
        cursor.execute(f"SET statement_timeout = '{seconds}s'")
    started = time.perf_counter()
    try:
        result = run()
    except (DatabaseError, MemoryError, ValidationError) as error:
        after = round(time.perf_counter() - started, 1)
        return {"finished": False, "after_s": after, "error": type(error).__name__}, None
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET statement_timeout = 0")
    return {"finished": True, "ms": round((time.perf_counter() - started) * 1000, 1)}, result


def progress(out: dict, key: str, value: Any) -> None:
    out[key] = value
    print(json.dumps({key: value}, ensure_ascii=False), file=sys.stderr, flush=True)


def measure(args: argparse.Namespace) -> dict:
    from django.db import connection

    from wangge.checkpoints.models import Scan
    from wangge.measures.models import Case
    from wangge.tracing.models import Candidate
    from wangge.tracing.services.engine import find_candidates
    from wangge.tracing.services.trace import trace_run
    from wangge.venues.models import Visit

    case = Case.objects.select_related("person").get(reported_on=REPORTED_ON)
    window = args.window_minutes
    out: dict[str, Any] = {"case": case.pk, "window_minutes": window}
    if args.only in (None, "engine"):
        figures, found = timed(
            lambda: find_candidates(case, window_minutes=window, hops=1), args.runs
        )
        pieces = sum(len(p) for p in found.evidence.values())
        progress(out, "engine_hops1", {**figures, **found.counts(), "evidence_pieces": pieces})
        first = sorted(found.co_residents | found.co_located)
        progress(out, "hop2_size", hop2_bound(case, first, window))
        figures, found = attempt(
            lambda: find_candidates(case, window_minutes=window, hops=2), args.bound_seconds
        )
        if found is not None:
            pieces = sum(len(p) for p in found.evidence.values())
            figures = {**figures, **found.counts(), "evidence_pieces": pieces}
        progress(out, "engine_hops2", figures)
    if args.only is None:
        # a first run, which creates the candidates; a run again updates them
        Candidate.objects.filter(case=case).delete()
        figures, trace = attempt(
            lambda: trace_run(by=None, case=case, window_minutes=window, hops=1),
            args.bound_seconds,
        )
        progress(out, "trace_run_hops1", {**figures, **(trace.counts if trace else {})})
        figures, trace = attempt(
            lambda: trace_run(by=None, case=case, window_minutes=window, hops=1),
            args.bound_seconds,
        )
        progress(out, "trace_run_hops1_again", {**figures, **(trace.counts if trace else {})})
    if args.only in (None, "naive"):
        figures, pairs = timed(lambda: naive(case, window), args.naive_runs)
        naive_figures = {**figures, "pairs": len(pairs), "persons": len({p[0] for p in pairs})}
        progress(out, "naive", naive_figures)
    if args.only is None:
        out["ratio_naive_to_engine_hops1"] = round(
            out["naive"]["median_ms"] / out["engine_hops1"]["median_ms"], 1
        )
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
            out["database_size"] = cursor.fetchone()[0]
        out["rows"] = {"scans": Scan.objects.count(), "visits": Visit.objects.count()}
        out["case_rows"] = {
            "scans": Scan.objects.filter(person_id=case.person_id).count(),
            "visits": Visit.objects.filter(person_id=case.person_id).count(),
        }
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--naive-runs", type=int, default=3)
    parser.add_argument("--window-minutes", type=int, default=30)
    parser.add_argument("--only", choices=("build", "engine", "naive"))
    parser.add_argument(
        "--bound-seconds", type=int, default=60, help="time bound of the second hop and trace_run"
    )
    parser.add_argument("--seed", type=int, default=19)
    args = parser.parse_args()
    # the second hop may find far more than memory holds: fail with MemoryError, not the machine
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_BOUND, MEMORY_BOUND))
    setup(DATABASE_URL)
    built = build(args.seed)
    if built is not None:
        print(f"built the street, its places, scans and visits in {built:.0f} s", file=sys.stderr)
    if args.only == "build":
        return
    print(json.dumps(measure(args), ensure_ascii=False))


if __name__ == "__main__":
    main()
