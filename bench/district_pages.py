"""The main pages over a district of 2,000,000 persons, 10 signed-in users at once, on PostgreSQL.

    .venv/bin/python bench/district_pages.py                      # every page, 30 s each
    .venv/bin/python bench/district_pages.py --pages search household --duration 10

The district is bench/district_data.py's (database `bench_district`, built on first use: a few
minutes). The server is the production configuration as bench/scan_load.py starts it: gunicorn,
2 sync workers, DEBUG off, static files collected and served by whitenoise. For each page in turn,
--users users (default 10) each loop without pause for --duration seconds (a closed loop: a user
sends their next request when the last one answered, so the figures include the wait for a
worker), each with a session of their own and the role the page is for:

- street pages: the commander of street 1…10 (`bench-street-NN`, one street each), on their own
  street's records: the person list (`/api/persons/`, a random page of 50), search (`/people/search/`
  with a resident's name, pinyin initials, or ID/phone tail from that street), a household page, the
  untested list of the street's round, the measure board, a gate's scan list (the checkpoint page,
  today's scans), the commander's home;
- the district report (`/reports/daily/`): 10 sessions of the district admin.

A response other than 200 counts as an error. Prints one JSON object (also written to
bench/out/district-pages/result.json): per page the requests, errors, p50 and p95 in ms, the load
average before and after; asserts nothing.
"""

import argparse
import asyncio
import json
import os
import random
import signal
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out" / "district-pages"
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

import district_data  # noqa: E402
from scan_load import start_server  # noqa: E402

PAGES = (
    "person_list",
    "search",
    "household",
    "untested",
    "measure_board",
    "scan_list",
    "commander_home",
    "district_report",
)
PER_STREET = 200  # sampled records (households, queries, gates) a street


def session_cookie(username: str) -> str:
    from django.test import Client

    from wangge.accounts.models import User

    client = Client()
    client.force_login(User.objects.get(username=username))
    return client.cookies["sessionid"].value


def street_urls(number: int, rng: random.Random) -> dict[str, list[str]]:
    """The URLs each street page is asked for by street `number`'s commander."""
    from wangge.checkpoints.models import Checkpoint
    from wangge.people.models import Person
    from wangge.regions.models import Household, Street
    from wangge.testing.models import NucleicRound

    street = Street.objects.order_by("pk")[number - 1]
    households = list(
        Household.objects.filter(grid__community__street=street)
        .order_by("?")
        .values_list("pk", flat=True)[:PER_STREET]
    )
    persons = list(
        Person.objects.filter(household__grid__community__street=street)
        .order_by("?")
        .values_list("name", "name_initials", "id_last4", "phone_last4")[:PER_STREET]
    )
    queries = [rng.choice(person) for person in persons]
    gates = list(Checkpoint.objects.filter(community__street=street).values_list("pk", flat=True))
    rounds = NucleicRound.objects.filter(street=street).values_list("pk", flat=True)
    return {
        "person_list": [f"/api/persons/?page={page}" for page in range(1, PER_STREET + 1)],
        "search": [f"/people/search/?q={query}" for query in queries],
        "household": [f"/regions/household/{pk}/" for pk in households],
        "untested": [f"/testing/rounds/{pk}/untested/" for pk in rounds],
        "measure_board": ["/measures/"],
        "scan_list": [f"/checkpoints/{pk}/" for pk in gates],
        "commander_home": ["/"],
    }


async def fetch(port: int, path: str, cookie: str) -> int:
    from urllib.parse import quote

    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    head = (
        f"GET {quote(path, safe='/?=&')} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
        f"Cookie: sessionid={cookie}\r\n\r\n"
    )
    writer.write(head.encode())
    await writer.drain()
    answer = await reader.read()
    writer.close()
    return int(answer.split(b" ", 2)[1])


async def user_loop(
    port: int, cookie: str, urls: list[str], until: float, seed: int
) -> list[tuple[float, int]]:
    rng = random.Random(seed)
    timings = []
    while time.perf_counter() < until:
        started = time.perf_counter()
        status = await fetch(port, rng.choice(urls), cookie)
        timings.append((time.perf_counter() - started, status))
    return timings


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def load(port: int, users: list[tuple[str, list[str]]], duration: float) -> dict:
    async def run() -> list[list[tuple[float, int]]]:
        for cookie, urls in users:  # warm each worker's caches; not counted
            await fetch(port, urls[0], cookie)
        until = time.perf_counter() + duration
        return await asyncio.gather(
            *(user_loop(port, c, u, until, n) for n, (c, u) in enumerate(users))
        )

    load_before = os.getloadavg()[0]
    timings = [t for one in asyncio.run(run()) for t in one]
    seconds = [t for t, _ in timings]
    return {
        "requests": len(timings),
        "errors": sum(status != 200 for _, status in timings),
        "p50_ms": round(statistics.median(seconds) * 1000),
        "p95_ms": round(percentile(seconds, 0.95) * 1000),
        "per_second": round(len(timings) / duration, 1),
        "load_average": [round(load_before, 1), round(os.getloadavg()[0], 1)],
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", nargs="+", choices=PAGES, default=list(PAGES))
    parser.add_argument("--users", type=int, default=10)
    parser.add_argument("--duration", type=float, default=30)
    parser.add_argument("--port", type=int, default=8047)
    options = parser.parse_args()

    district_data.ready()
    built = district_data.build()
    from django.core.management import call_command

    from wangge.people.models import Person

    call_command("collectstatic", interactive=False, verbosity=0)  # as scripts/run.sh does
    rng = random.Random(1)
    streets = [
        (session_cookie(f"bench-street-{n:02d}"), street_urls(n, rng))
        for n in range(1, options.users + 1)
    ]
    admins = [session_cookie("bench-district") for _ in range(options.users)]
    users_of: dict[str, Callable[[], list[tuple[str, list[str]]]]] = {
        page: (lambda page=page: [(cookie, urls[page]) for cookie, urls in streets])
        for page in PAGES
        if page != "district_report"
    }
    users_of["district_report"] = lambda: [(cookie, ["/reports/daily/"]) for cookie in admins]
    server = start_server(district_data.DATABASE_URL, options.port, var=district_data.VAR)
    try:
        pages = {
            page: load(options.port, users_of[page](), options.duration) for page in options.pages
        }
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait()
    result = {
        "bench": "district_pages",
        "persons": Person.objects.count(),
        "users": options.users,
        "duration_s": options.duration,
        "built": built,
        "pages": pages,
    }
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "result.json").write_text(json.dumps(result, ensure_ascii=False, indent=1))
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
