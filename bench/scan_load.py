"""The scan endpoint under load, beside a bare Django view, on gunicorn with 2 workers and PostgreSQL.

    .venv/bin/python bench/scan_load.py                      # 20,000 residents, defaults below
    .venv/bin/python bench/scan_load.py --persons 5000 --duration 10

Production settings (DEBUG off, the product's middleware) with one addition: bench/scan_settings.py
adds /bench/bare/, a view returning a constant through the same middleware, server and workers.
Everything runs on loopback:

1. throughput: wrk (Debian's `wrk`), 2 threads and --connections connections for --duration
   seconds, first on the bare view (GET), then on POST /api/checkpoints/scans/ with token auth and
   bodies made by bench/scan_load.lua: a resident's personal code, 36.x °C (38.1 °C every 50th, which
   alerts the community and raises an event), in or out, a client id unique per request. Reports
   requests/s of each and their ratio (aim ≥ 0.5).
2. latency at fixed rates: an asyncio client sends each of --rates scans/s for --rate-seconds
   seconds on a schedule (open loop: latency runs from the scheduled moment, so a stall is not
   hidden); p50, p99. Aim: p99 < 100 ms at 100 scans/s.
3. retry storm: --storm-scans scans, each sent --storm-copies times, shuffled, --storm-concurrency
   at once; then the database is counted: every scan stored, none twice.

The database (default postgres://postgres@127.0.0.1:5432/wangge_bench_scan) is created and seeded
with the demo street on first use and reused afterwards. Prints one JSON object (also written to
bench/out/scan-load/result.json). Benchmarks assert nothing.
"""

import argparse
import asyncio
import json
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out" / "scan-load"
VAR = OUT / "var"
PG_DEFAULT = "postgres://postgres@127.0.0.1:5432/wangge_bench_scan"
sys.path[:0] = [str(ROOT)]


def _ensure_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0].replace("postgres://", "postgresql://") + "/postgres"
    with psycopg.connect(admin, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", (name,)
        ).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')


def django_ready(url: str, var: Path) -> None:
    """This process on the bench's database (created when absent, migrated) and its var folder."""
    os.environ["DATABASE_URL"] = url
    os.environ["WANGGE_VAR_DIR"] = str(var)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wangge.settings")
    _ensure_database(url)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def prepare(url: str, persons: int) -> dict:
    """Migrate and seed once; a checkpoint, its staff member's API token, and the residents' codes."""
    django_ready(url, VAR)
    from django.core.management import call_command

    from wangge.people.models import Person

    if not Person.objects.exists():
        call_command("seed_demo", persons=persons, seed=1, register_only=True, verbosity=0)
    return _fixtures()


def _fixtures() -> dict:
    import secrets
    from datetime import timedelta

    from django.utils import timezone

    from wangge.accounts.models import ApiToken, RoleAssignment, User
    from wangge.checkpoints import tokens
    from wangge.checkpoints.models import Checkpoint, PersonalCode, Shift, ShiftAssignment
    from wangge.checkpoints.services import CheckpointData, checkpoint_create, personal_codes_issue
    from wangge.core.roles import Role
    from wangge.people.models import Person
    from wangge.regions.models import Compound

    admin = User.objects.filter(is_superuser=True).first() or User.objects.create_superuser(
        "bench-admin", password=secrets.token_urlsafe(16)
    )
    compound = Compound.objects.order_by("pk").first()
    checkpoint = Checkpoint.objects.filter(name="压测东门").first() or checkpoint_create(
        by=admin,
        data=CheckpointData(
            name="压测东门", kind="compound_gate", community=compound.community, compound=compound
        ),
    )
    staff, _ = User.objects.get_or_create(username="bench-gate", defaults={"full_name": "压测值守"})
    RoleAssignment.objects.get_or_create(
        user=staff, role=Role.CHECKPOINT, street=compound.community.street
    )
    # A shift on today's duty roster: only the staff rostered at a checkpoint may scan there.
    now = timezone.now()
    if not ShiftAssignment.objects.filter(
        user=staff, shift__checkpoint=checkpoint, shift__ends_at__gt=now + timedelta(hours=2)
    ).exists():
        shift = Shift.objects.create(
            checkpoint=checkpoint,
            starts_at=now - timedelta(hours=1),
            ends_at=now + timedelta(hours=12),
            needed=1,
        )
        ShiftAssignment.objects.create(shift=shift, user=staff, assigned_by=admin)
    missing = Person.objects.filter(personal_code__isnull=True)
    if missing.exists():
        personal_codes_issue(by=admin, persons=list(missing))
    raw = secrets.token_urlsafe(32)
    ApiToken.objects.create(
        name="bench",
        user=staff,
        prefix=raw[:8],
        digest=ApiToken.digest_of(raw),
        expires_at=timezone.now() + timedelta(hours=2),
    )
    codes = [
        tokens.payload(tokens.PERSON, sealed)
        for sealed in PersonalCode.objects.order_by("pk").values_list("token_sealed", flat=True)
    ]
    (OUT / "codes.txt").write_text("\n".join(codes) + "\n")
    return {"checkpoint": checkpoint.pk, "token": raw, "residents": len(codes)}


def start_server(
    url: str, port: int, *, var: Path = VAR, env_extra: dict[str, str] | None = None
) -> subprocess.Popen:
    """gunicorn with 2 workers on the bench settings (`/bench/bare/` added), as `make run` starts it;
    `var` and `env_extra` for another bench's database and settings."""
    with socket.socket() as probe:
        if probe.connect_ex(("127.0.0.1", port)) == 0:
            raise SystemExit(f"port {port} is taken: choose another with --port")
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "WANGGE_VAR_DIR": str(var),
        "DJANGO_SETTINGS_MODULE": "scan_settings",
        "WANGGE_DEBUG": "0",
        **(env_extra or {}),
    }
    server = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "wangge.wsgi:application",
            "--pythonpath",
            str(ROOT / "bench"),
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    for _ in range(100):
        try:
            asyncio.run(request(port, "GET", "/bench/bare/"))
            return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise RuntimeError("gunicorn did not start")


async def request(
    port: int, method: str, path: str, body: bytes = b"", token: str = ""
) -> tuple[int, bytes]:
    """One HTTP/1.1 request on its own connection (gunicorn's sync workers close after each)."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    head = f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
    if token:
        head += f"Authorization: Token {token}\r\n"
    if body:
        head += f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
    writer.write(head.encode() + b"\r\n" + body)
    await writer.drain()
    answer = await reader.read()
    writer.close()
    status = int(answer.split(b" ", 2)[1])
    return status, answer.split(b"\r\n\r\n", 1)[1]


def scan_body(checkpoint: int, client_id: str, code: str, direction: str = "in") -> bytes:
    return json.dumps(
        {
            "checkpoint": checkpoint,
            "client_id": client_id,
            "direction": direction,
            "code": code,
            "temperature": "36.6",
        }
    ).encode()


def worker_cpu_seconds(master: int) -> float:
    """User + system CPU seconds used so far by gunicorn's workers (children of the master)."""
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    ticks = 0
    for child in children:
        fields = Path(f"/proc/{child}/stat").read_text().rsplit(")", 1)[1].split()
        ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def measured(master: int, run: Callable[[], dict]) -> dict:
    """A wrk run with the workers' CPU milliseconds per request (less sensitive to other load on
    the machine than requests per second)."""
    before = worker_cpu_seconds(master)
    result = run()
    spent = worker_cpu_seconds(master) - before
    return {**result, "worker_cpu_ms_per_request": round(spent * 1000 / result["requests"], 2)}


def wrk(url: str, duration: int, connections: int, script: Path | None, env: dict) -> dict:
    command = ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency"]
    if script is not None:
        command += ["-s", str(script)]
    output = subprocess.run(
        [*command, url], capture_output=True, text=True, env={**os.environ, **env}, check=True
    ).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    total = int(re.search(r"(\d+) requests in", output).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    latency = dict(re.findall(r"^\s+(50|99)%\s+([\d.]+\w+)", output, re.MULTILINE))
    return {
        "requests_per_s": rate,
        "requests": total,
        "non_2xx": int(errors.group(1)) if errors else 0,
        "p50": latency.get("50"),
        "p99": latency.get("99"),
    }


async def fixed_rate(port: int, fixtures: dict, codes: list[str], rate: int, seconds: int) -> dict:
    run = uuid.uuid4().hex[:8]
    count = rate * seconds
    started = time.perf_counter() + 0.5
    latencies: list[float] = []
    statuses: dict[int, int] = {}

    async def one(index: int) -> None:
        scheduled = started + index / rate
        await asyncio.sleep(max(0.0, scheduled - time.perf_counter()))
        body = scan_body(fixtures["checkpoint"], f"rate-{run}-{index}", codes[index % len(codes)])
        status, _ = await request(port, "POST", "/api/checkpoints/scans/", body, fixtures["token"])
        latencies.append((time.perf_counter() - scheduled) * 1000)
        statuses[status] = statuses.get(status, 0) + 1

    await asyncio.gather(*(one(index) for index in range(count)))
    latencies.sort()
    return {
        "rate_per_s": rate,
        "scans": count,
        "statuses": statuses,
        "p50_ms": round(statistics.median(latencies), 1),
        "p99_ms": round(latencies[int(len(latencies) * 0.99) - 1], 1),
        "max_ms": round(latencies[-1], 1),
    }


async def retry_storm(
    port: int, fixtures: dict, codes: list[str], scans: int, copies: int, concurrency: int
) -> dict:
    run = uuid.uuid4().hex[:8]
    prefix = f"storm-{run}-"
    sends = [index for index in range(scans) for _ in range(copies)]
    random.Random(1).shuffle(sends)
    gate = asyncio.Semaphore(concurrency)
    statuses: dict[int, int] = {}

    async def one(index: int) -> None:
        body = scan_body(
            fixtures["checkpoint"], f"{prefix}{index}", codes[index % len(codes)], "out"
        )
        async with gate:
            status, _ = await request(
                port, "POST", "/api/checkpoints/scans/", body, fixtures["token"]
            )
        statuses[status] = statuses.get(status, 0) + 1

    started = time.perf_counter()
    await asyncio.gather(*(one(index) for index in sends))
    return {
        "prefix": prefix,
        "scans": scans,
        "copies_each": copies,
        "requests": len(sends),
        "concurrency": concurrency,
        "seconds": round(time.perf_counter() - started, 1),
        "statuses": statuses,
        "created_201": statuses.get(201, 0),
    }


def count_storm(storm: dict) -> dict:
    """What the database holds after the storm: every scan once."""
    from django.db import connection
    from django.db.models import Count

    from wangge.checkpoints.models import Scan

    connection.close()
    stored = Scan.objects.filter(client_id__startswith=storm.pop("prefix"))
    twice = stored.values("client_id").annotate(n=Count("id")).filter(n__gt=1).count()
    return {
        **storm,
        "stored": stored.count(),
        "lost": storm["scans"] - stored.count(),
        "duplicated": twice,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--postgres", default=PG_DEFAULT)
    parser.add_argument("--persons", type=int, default=20_000)
    parser.add_argument("--port", type=int, default=8791)
    parser.add_argument("--duration", type=int, default=20)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument(
        "--rates", default="25,50,100", help="scans/s for the fixed-rate runs, comma-separated"
    )
    parser.add_argument("--rate-seconds", type=int, default=20)
    parser.add_argument("--storm-scans", type=int, default=1000)
    parser.add_argument("--storm-copies", type=int, default=4)
    parser.add_argument("--storm-concurrency", type=int, default=32)
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    fixtures = prepare(args.postgres, args.persons)
    codes = (OUT / "codes.txt").read_text().split()
    server = start_server(args.postgres, args.port)
    base = f"http://127.0.0.1:{args.port}"
    try:
        warm = {"CODES": str(OUT / "codes.txt"), "TOKEN": fixtures["token"]}
        warm |= {"CHECKPOINT": str(fixtures["checkpoint"]), "RUN": f"warm{uuid.uuid4().hex[:6]}"}
        wrk(f"{base}/api/checkpoints/scans/", 3, 4, ROOT / "bench" / "scan_load.lua", warm)
        bare = measured(
            server.pid,
            lambda: wrk(f"{base}/bench/bare/", args.duration, args.connections, None, {}),
        )
        scans = measured(
            server.pid,
            lambda: wrk(
                f"{base}/api/checkpoints/scans/",
                args.duration,
                args.connections,
                ROOT / "bench" / "scan_load.lua",
                warm | {"RUN": f"wrk{uuid.uuid4().hex[:6]}"},
            ),
        )
        latency = [
            asyncio.run(fixed_rate(args.port, fixtures, codes, int(rate), args.rate_seconds))
            for rate in args.rates.split(",")
        ]
        storm = asyncio.run(
            retry_storm(
                args.port,
                fixtures,
                codes,
                args.storm_scans,
                args.storm_copies,
                args.storm_concurrency,
            )
        )
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    result = {
        "benchmark": "scan_load",
        "server": "gunicorn, 2 sync workers, DEBUG off, PostgreSQL on loopback",
        "residents": fixtures["residents"],
        "wrk": {"threads": 2, "connections": args.connections, "seconds": args.duration},
        "bare_view": bare,
        "scan_endpoint": scans,
        "ratio_scans_to_bare": round(scans["requests_per_s"] / bare["requests_per_s"], 2),
        "ratio_cpu_bare_to_scan": round(
            bare["worker_cpu_ms_per_request"] / scans["worker_cpu_ms_per_request"], 2
        ),
        "fixed_rate": latency,
        "retry_storm": count_storm(storm),
        "load_average": os.getloadavg(),
    }
    text = json.dumps(result, ensure_ascii=False, indent=2)
    (OUT / "result.json").write_text(text)
    print(text)


if __name__ == "__main__":
    main()
