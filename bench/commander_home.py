"""The commander's home page for the demo street: the whole request (middleware, session, the
tiles' queries, the trends, the template) through Django's test client, as the demo commander.

    .venv/bin/python bench/commander_home.py                    # 80,000 persons, 30 runs
    .venv/bin/python bench/commander_home.py --persons 2000 --runs 50

Builds the demo street with `manage.py seed_demo --persons N --seed 1` (whatever the demo holds
today: register, and the outbreak's records once the demo has them) in its own var dir under
bench/out/commander_home/ (kept and reused by later runs with the same N; --fresh rebuilds it).
The first request warms the caches and is not counted; then --runs requests, each with the user
loaded afresh as a request does. Prints one JSON object: median and p95 of the wall time in ms,
the median CPU time of this process (SQLite runs inside it, so this is the work itself, without
the waiting for a core that a loaded machine adds to the wall time), the load average, and the
number of SQL queries of one request; asserts nothing about the clock.
"""

import argparse
import json
import os
import platform
import shutil
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out" / "commander_home"
sys.path.insert(0, str(ROOT))


def setup(persons: int, fresh: bool) -> bool:
    """Point Django at the bench's SQLite database; True when it must be built."""
    var = OUT / f"sqlite-{persons}"
    build = fresh or not (var / "built").exists()
    if build and var.exists():
        shutil.rmtree(var)
    var.mkdir(parents=True, exist_ok=True)
    os.environ["WANGGE_VAR_DIR"] = str(var)
    os.environ.pop("DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "wangge.settings"
    import django

    django.setup()
    return build


def build(persons: int) -> float:
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    call_command("seed_demo", persons=persons, seed=1, verbosity=0)
    (Path(os.environ["WANGGE_VAR_DIR"]) / "built").write_text("ok")
    return time.perf_counter() - started


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--persons", type=int, default=80_000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--fresh", action="store_true")
    options = parser.parse_args()
    seeded = build(options.persons) if setup(options.persons, options.fresh) else None

    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import (
        CaptureQueriesContext,
        override_settings,
        setup_test_environment,
    )
    from django.urls import reverse

    from wangge.accounts.models import User
    from wangge.people.models import Person

    setup_test_environment()
    # The page as served, minus collectstatic: static URLs without the manifest's hashes.
    plain = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    override_settings(STORAGES={**settings.STORAGES, "staticfiles": plain}).enable()
    client = Client()
    client.force_login(User.objects.get(username="demo-commander"))  # the session; each request
    # then loads the user afresh, as in production
    url = reverse("front:home")
    response = client.get(url)
    assert response.status_code == 200 and b'data-testid="situation"' in response.content
    seconds, cpu = [], []
    for _ in range(options.runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        client.get(url)
        seconds.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    result = {
        "bench": "commander_home",
        "database": connection.vendor,
        "persons": Person.objects.count(),
        "runs": options.runs,
        "median_ms": round(statistics.median(seconds) * 1000, 1),
        "p95_ms": round(percentile(seconds, 0.95) * 1000, 1),
        "best_ms": round(min(seconds) * 1000, 1),
        "cpu_median_ms": round(statistics.median(cpu) * 1000, 1),
        "load_average": round(os.getloadavg()[0], 1),
        "queries": len(queries.captured_queries),
        "seed_seconds": round(seeded, 1) if seeded is not None else None,
        "python": platform.python_version(),
    }
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
