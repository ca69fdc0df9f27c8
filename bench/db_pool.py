"""Connecting to PostgreSQL per request, through the psycopg pool, or once per thread: one run.

    .venv/bin/python bench/db_pool.py
    .venv/bin/python bench/db_pool.py --database-url postgres://postgres@127.0.0.1:5432/postgres \
        --requests 2000 --threads 8 --pool-max 4

Each "request" is what Django does around a view's query: take the connection of the alias,
run one query (`SELECT 1`, so that the figure is the connection's own cost), then
`close_if_unusable_or_obsolete()` as the request_finished signal does. Three aliases are made from
the project's settings for the same database:

- direct:     CONN_MAX_AGE 0, no pool — a new connection (TCP, startup, authentication) per request;
- pooled:     Django's psycopg pool (min 1, max --pool-max), as WANGGE_DB_POOL_MAX turns on;
- persistent: CONN_MAX_AGE 600 — one connection per thread kept across requests (the default).

Each is run in one thread (as a gunicorn sync worker) and in --threads threads (as huey's thread
workers or gunicorn's gthread). Prints one JSON object: requests/s, mean and p99 per request, the
ratios to direct, and the pool's own statistics (connections opened, time waited for one); asserts
nothing about the clock.
"""

import argparse
import copy
import json
import os
import platform
import statistics
import sys
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup(database_url: str, pool_max: int) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ["WANGGE_DB_POOL_MAX"] = "0"
    os.environ.setdefault("WANGGE_VAR_DIR", str(ROOT / "bench" / "out" / "db_pool"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "wangge.settings"
    import django

    django.setup()
    from django.db import connections

    base = connections.settings["default"]
    for alias, max_age, pool in (
        ("direct", 0, None),
        ("pooled", 0, {"min_size": 1, "max_size": pool_max, "timeout": 10.0}),
        ("persistent", 600, None),
    ):
        options = {key: value for key, value in base["OPTIONS"].items() if key != "pool"}
        if pool:
            options["pool"] = pool
        connections.settings[alias] = {
            **copy.deepcopy(base),
            "CONN_MAX_AGE": max_age,
            "OPTIONS": options,
        }


def one_request(alias: str) -> float:
    from django.db import connections

    started = time.perf_counter()
    connection = connections[alias]
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    connection.close_if_unusable_or_obsolete()
    return time.perf_counter() - started


def run(alias: str, requests: int, threads: int) -> dict[str, Any]:
    from django.db import connections

    one_request(alias)  # warm: the pool opens, the first connection is made
    timings: list[float] = []
    lock = threading.Lock()

    def worker(count: int) -> None:
        mine = [one_request(alias) for _ in range(count)]
        connections[alias].close()
        with lock:
            timings.extend(mine)

    started = time.perf_counter()
    workers = [threading.Thread(target=worker, args=(requests // threads,)) for _ in range(threads)]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join()
    wall = time.perf_counter() - started
    ordered = sorted(timings)
    return {
        "requests_per_s": round(len(timings) / wall),
        "mean_ms": round(statistics.fmean(timings) * 1000, 3),
        "p99_ms": round(ordered[int(0.99 * (len(ordered) - 1))] * 1000, 3),
    }


def pool_stats() -> dict[str, int]:
    from django.db import connections

    stats = connections["pooled"].pool.get_stats()
    return {
        key: stats.get(key, 0)
        for key in ("connections_num", "pool_max", "requests_num", "requests_waiting")
    } | {"requests_wait_ms": stats.get("requests_wait_ms", 0)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres"),
    )
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--pool-max", type=int, default=4)
    args = parser.parse_args()
    setup(args.database_url, args.pool_max)

    results: dict[str, Any] = {}
    for threads in (1, args.threads):
        label = f"{threads}_thread" + ("s" if threads > 1 else "")
        figures = {
            alias: run(alias, args.requests, threads)
            for alias in ("direct", "pooled", "persistent")
        }
        for alias in ("pooled", "persistent"):
            figures[alias]["speed_vs_direct"] = round(
                figures[alias]["requests_per_s"] / figures["direct"]["requests_per_s"], 1
            )
        results[label] = figures
    print(
        json.dumps(
            {
                "bench": "db_pool",
                "requests_per_run": args.requests,
                "threads": args.threads,
                "pool_max": args.pool_max,
                "results": results,
                "pool_stats_after_all_runs": pool_stats(),
                "load_average": [round(value, 2) for value in os.getloadavg()],
                "cpus": os.cpu_count(),
                "python": platform.python_version(),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
