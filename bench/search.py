"""Search latency over the demo street: `Person.objects.restrict(user).search(q)[:50]`, evaluated.

    .venv/bin/python bench/search.py [--persons 100000] [--per-kind 50]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/wangge_bench .venv/bin/python bench/search.py

On SQLite the database lives in a throw-away WANGGE_VAR_DIR under bench/out/ (git-ignored); on
PostgreSQL in the database of DATABASE_URL (create it first). Either is seeded once with
`seed_demo --persons N --seed 1` and reused by later runs. Queries are taken from real residents:
pinyin initials (2–3 letters), a full-pinyin prefix, the last 4 characters of an ID number, the
last 4 digits of a phone — as the commander (whole street) and as the grid worker (one grid; the
queries come from that grid's residents). Each query runs once to warm up, then once timed, with
the user loaded afresh as a request would (so the scope lookup is counted). Prints one JSON object.
"""

import argparse
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wangge.settings")
if not os.environ.get("DATABASE_URL"):
    os.environ.setdefault("WANGGE_VAR_DIR", str(ROOT / "bench" / "out" / "search-var"))

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from wangge.accounts.models import User  # noqa: E402
from wangge.people.models import Person  # noqa: E402

KINDS = ("initials", "pinyin_prefix", "id_last4", "phone_last4")


def prepare(persons: int) -> float | None:
    """Migrate and seed when the database is empty; the seconds seeding took, or None if reused."""
    call_command("migrate", verbosity=0)
    count = Person.objects.count()
    if count == persons:
        return None
    if count:
        sys.exit(f"the bench database holds {count} persons, not {persons}: use a fresh one")
    started = time.perf_counter()
    with open(os.devnull, "w") as sink:
        call_command("seed_demo", persons=persons, seed=1, register_only=True, stdout=sink)
    return time.perf_counter() - started


def queries(rng: random.Random, people: list[tuple[str, str, str, str]], per_kind: int) -> dict:
    sample = rng.sample(people, min(len(people), per_kind * 4))
    with_two = [p for p in sample if len(p[1]) >= 2]
    with_phone = [p for p in sample if p[3]]
    return {
        "initials": [p[1][: rng.choice((2, 3))] for p in with_two[:per_kind]],
        "pinyin_prefix": [p[0][: rng.randint(4, max(4, len(p[0])))] for p in sample[:per_kind]],
        "id_last4": [p[2] for p in sample[:per_kind]],
        "phone_last4": [p[3] for p in with_phone[:per_kind]],
    }


def measure(username: str, texts: list[str]) -> dict:
    pk = User.objects.get(username=username).pk
    timings, hits = [], []
    for text in texts:
        list(Person.objects.restrict(User.objects.get(pk=pk)).search(text)[:50])
    for text in texts:
        user = User.objects.get(pk=pk)
        started = time.perf_counter()
        found = list(Person.objects.restrict(user).search(text)[:50])
        timings.append((time.perf_counter() - started) * 1000)
        hits.append(len(found))
    timings.sort()
    return {
        "queries": len(texts),
        "median_ms": round(statistics.median(timings), 2),
        "p95_ms": round(timings[max(0, round(len(timings) * 0.95) - 1)], 2),
        "max_ms": round(timings[-1], 2),
        "mean_hits": round(statistics.mean(hits), 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--persons", type=int, default=100_000)
    parser.add_argument("--per-kind", type=int, default=50)
    args = parser.parse_args()
    seed_seconds = prepare(args.persons)
    rng = random.Random(7)
    fields = ("name_pinyin", "name_initials", "id_last4", "phone_last4")
    street = list(Person.objects.order_by("pk").values_list(*fields))
    grid_worker = User.objects.get(username="demo-grid")
    grid = list(Person.objects.restrict(grid_worker).order_by("pk").values_list(*fields))
    results = {}
    for username, people in (("demo-commander", street), ("demo-grid", grid)):
        chosen = queries(rng, people, args.per_kind)
        per_kind = {kind: measure(username, chosen[kind]) for kind in KINDS}
        per_kind["all"] = measure(username, [q for kind in KINDS for q in chosen[kind]])
        results[username] = per_kind
    print(
        json.dumps(
            {
                "benchmark": "search",
                "database": connection.vendor,
                "persons": len(street),
                "grid_worker_persons": len(grid),
                "seed_seconds": round(seed_seconds, 1) if seed_seconds is not None else None,
                "results": results,
            },
            ensure_ascii=False,
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
