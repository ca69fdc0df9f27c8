"""Venue-code visits (the public page's POST) beside a bare Django view, on gunicorn as
scripts/run.sh starts it (2 sync workers, DEBUG off, the product's middleware), PostgreSQL.

    .venv/bin/python bench/venue_visits.py                 # 20 s per measure
    .venv/bin/python bench/venue_visits.py --duration 10 --redis

bench/scan_settings.py adds /bench/bare/ (a constant through the same middleware, server and
workers). wrk (Debian's `wrk`), 2 threads, --connections connections: first GET the bare view,
then POST /v/<token>/ with bodies made by bench/venue_visits.lua: the form's CSRF token and cookie
(read once from the page), a phone new with every request, and X-Forwarded-For as the reverse
proxy sets it, a new address every request (so each visitor takes a fresh bucket of the address
limit, as a street's visitors do). Every POST records a visit: the address bucket, the venue's
row lock, the visitor's recent visits for the repeat and the flags, the insert, the confirmation
page. --redis puts the address buckets in Redis (WANGGE_TASKS=redis, REDIS_URL), as the
distributed deployment does; by default they are database rows, as in the embedded one.

Reports requests/s of each, their ratio (aim ≥ 0.5) and the workers' CPU milliseconds per
request (read from /proc, steadier than rates on a shared machine). The database (default
postgres://postgres@127.0.0.1:5432/wangge_bench_visits) is created and migrated on first use.
Prints one JSON object (also written to bench/out/venue-visits/result.json). Asserts nothing.
"""

import argparse
import asyncio
import json
import os
import re
import signal
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out" / "venue-visits"
VAR = OUT / "var"
PG_DEFAULT = "postgres://postgres@127.0.0.1:5432/wangge_bench_visits"
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

from scan_load import django_ready, measured, start_server, wrk  # noqa: E402

# Mobile prefixes, one per wrk run, so that no run repeats an earlier run's phones.
PREFIXES = ("150", "151", "152", "153", "155", "156", "157", "158", "159", "186", "187", "188")


def prepare(url: str) -> dict:
    """Migrate and collect the static files; once, a street with one community, grid and venue; the venue's code."""
    django_ready(url, VAR)
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)  # as scripts/run.sh does
    from wangge.core import crypto
    from wangge.regions.models import Community, Grid, Street
    from wangge.venues.models import Venue, VenueKind, Visit
    from wangge.venues.services.register import VenueData, venue_create

    venue = Venue.objects.filter(name="压测面馆").first()
    if venue is None:
        street, _ = Street.objects.get_or_create(name="压测街道", defaults={"code": "330783999"})
        community, _ = Community.objects.get_or_create(street=street, name="压测社区")
        grid, _ = Grid.objects.get_or_create(community=community, name="压测网格")
        venue = venue_create(
            by=None,
            data=VenueData(name="压测面馆", kind=VenueKind.objects.get(name="餐饮店"), grid=grid),
        )
    return {"token": crypto.unseal(venue.code_sealed), "visits_before": Visit.objects.count()}


def form_credentials(port: int, path: str) -> tuple[str, str]:
    """The CSRF cookie and the form's token, as a visitor's browser gets them from the page."""

    async def get() -> bytes:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(
            f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode()
        )
        await writer.drain()
        answer = await reader.read()
        writer.close()
        return answer

    answer = asyncio.run(get()).decode()
    cookie = re.search(r"Set-Cookie: (csrftoken=[^;]+)", answer, re.IGNORECASE).group(1)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', answer).group(1)
    return cookie, token


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--postgres", default=PG_DEFAULT)
    parser.add_argument("--port", type=int, default=8793)
    parser.add_argument("--duration", type=int, default=20)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--redis", action="store_true", help="address buckets in Redis")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    fixtures = prepare(args.postgres)
    path = f"/v/{fixtures['token']}/"
    server = start_server(
        args.postgres,
        args.port,
        var=VAR,
        env_extra={"WANGGE_TASKS": "redis" if args.redis else "sqlite"},
    )
    base = f"http://127.0.0.1:{args.port}"
    prefixes = iter(PREFIXES[(int(time.time()) // 60) % 4 * 3 :])
    try:
        cookie, csrf = form_credentials(args.port, path)
        env = {"VENUE_PATH": path, "COOKIE": cookie, "CSRF": csrf}
        script = ROOT / "bench" / "venue_visits.lua"
        wrk(base + path, 3, 4, script, env | {"PREFIX": next(prefixes)})  # warm up
        bare = measured(
            server.pid,
            lambda: wrk(f"{base}/bench/bare/", args.duration, args.connections, None, {}),
        )
        visits = measured(
            server.pid,
            lambda: wrk(
                base + path,
                args.duration,
                args.connections,
                script,
                env | {"PREFIX": next(prefixes)},
            ),
        )
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    from wangge.venues.models import Visit

    result = {
        "benchmark": "venue_visits",
        "server": "gunicorn, 2 sync workers, DEBUG off, PostgreSQL on loopback",
        "address_buckets": "redis" if args.redis else "database",
        "wrk": {"threads": 2, "connections": args.connections, "seconds": args.duration},
        "bare_view": bare,
        "visit_post": visits,
        "ratio_visits_to_bare": round(visits["requests_per_s"] / bare["requests_per_s"], 2),
        "ratio_cpu_bare_to_visit": round(
            bare["worker_cpu_ms_per_request"] / visits["worker_cpu_ms_per_request"], 2
        ),
        "visits_stored": Visit.objects.count() - fixtures["visits_before"],
        "load_average": os.getloadavg(),
    }
    text = json.dumps(result, ensure_ascii=False, indent=2)
    (OUT / "result.json").write_text(text)
    print(text)


if __name__ == "__main__":
    main()
