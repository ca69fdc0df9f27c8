"""The scan at a city's peak: the scan endpoint beside two yardsticks, on two servers, with one and
two app processes, and its latency at a fixed rate.

    .venv/bin/python bench/scan_peak.py                  # database wangge_bench_scan (scan_load.py's)
    .venv/bin/python bench/scan_peak.py --duration 10 --rate 200

Everything runs on loopback against one PostgreSQL, with bench/scan_settings.py (production
settings, DEBUG off, the product's middleware) and bench/scan_urls.py's yardsticks:

1. servers side by side: gunicorn (2 sync workers, as `make run` starts it) and granian (WSGI, 2
   workers, one blocking thread each). On each, wrk (2 threads, --connections, --duration s) runs
   GET /bench/bare/, POST /bench/minimal-scan/ (authenticate, one indexed read, one insert) and
   POST /api/checkpoints/scans/ (bench/scan_load.lua's mix: in and out, every 50th with fever).
   Requests/s, the app processes' CPU per request (user + sys from /proc), and the ratios
   scan / minimal (aim ≥ 0.5) and scan / bare (aim ≥ 0.25). Then scans on gunicorn with 3 and 4
   sync workers and with 2 gthread workers of 4 threads: the worker class and count for 2 cores.
2. one and two app processes (gunicorn, 1 and 2 workers): scans/s, CPU per scan, and lock waits —
   a second connection samples pg_locks every 2 ms for locks not granted to a backend of the
   bench's database (aim: CPU per scan does not rise from 1 to 2; no scan waits on a lock).
   Four processes are not measured: the machine has 2 cores.
3. latency at --rate scans/s for --rate-seconds s, open loop (scan_load.fixed_rate): p50, p99
   (aim p99 < 50 ms at 200 scans/s).

Prints one JSON object (also bench/out/scan-peak/result.json). Benchmarks assert nothing.
"""

import argparse
import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parent)]

import scan_load  # noqa: E402  (bench/scan_load.py: database, fixtures, wrk, fixed-rate client)

ROOT = scan_load.ROOT
OUT = ROOT / "bench" / "out" / "scan-peak"
LUA = ROOT / "bench" / "scan_load.lua"


def app_cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of every process below `pid` (the server's workers)."""
    ticks = 0
    pending = [pid]
    while pending:
        current = pending.pop()
        try:
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except FileNotFoundError:
            continue
        for child in children:
            try:
                fields = Path(f"/proc/{child}/stat").read_text().rsplit(")", 1)[1].split()
            except FileNotFoundError:
                continue
            ticks += int(fields[11]) + int(fields[12])
            pending.append(int(child))
    return ticks / os.sysconf("SC_CLK_TCK")


def start(server: str, workers: int, port: int, threads: int = 1) -> subprocess.Popen:
    """gunicorn (sync workers, or gthread with `threads`) or granian (WSGI) on the bench
    settings; waits until it answers."""
    with socket.socket() as probe:
        if probe.connect_ex(("127.0.0.1", port)) == 0:
            raise SystemExit(f"port {port} is taken: choose another with --port")
    env = {
        **os.environ,
        "DATABASE_URL": os.environ["DATABASE_URL"],
        "WANGGE_VAR_DIR": str(scan_load.VAR),
        "DJANGO_SETTINGS_MODULE": "scan_settings",
        "PYTHONPATH": str(ROOT / "bench"),
        "WANGGE_DEBUG": "0",
    }
    bin_dir = ROOT / ".venv" / "bin"
    if server == "gunicorn":
        command = [str(bin_dir / "gunicorn"), "wangge.wsgi:application", "--workers", str(workers)]
        command += ["--bind", f"127.0.0.1:{port}", "--log-level", "warning"]
        if threads > 1:
            command += ["--worker-class", "gthread", "--threads", str(threads)]
    else:
        command = [str(bin_dir / "granian"), "--interface", "wsgi", "wangge.wsgi:application"]
        command += ["--workers", str(workers), "--blocking-threads", "1"]
        command += ["--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"]
    process = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
    for _ in range(150):
        try:
            asyncio.run(scan_load.request(port, "GET", "/bench/bare/"))
            return process
        except OSError:
            time.sleep(0.2)
    stop(process)
    raise RuntimeError(f"{server} did not start")


def stop(process: subprocess.Popen) -> None:
    os.killpg(process.pid, signal.SIGTERM)
    process.wait(timeout=30)


class LockWaits:
    """Samples, from its own connection, the locks not granted to backends of the database."""

    def __init__(self, url: str) -> None:
        self.url = url.replace("postgres://", "postgresql://")
        self.samples = 0
        self.waiting_samples = 0
        self.most_waiting = 0
        self.kinds: set[str] = set()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        import psycopg

        name = self.url.rsplit("/", 1)[1]
        with psycopg.connect(self.url, autocommit=True) as connection:
            while not self._stop.is_set():
                rows = connection.execute(
                    "SELECT l.locktype FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
                    "WHERE NOT l.granted AND a.datname = %s",
                    (name,),
                ).fetchall()
                self.samples += 1
                if rows:
                    self.waiting_samples += 1
                    self.most_waiting = max(self.most_waiting, len(rows))
                    self.kinds.update(row[0] for row in rows)
                time.sleep(0.002)

    def __enter__(self) -> "LockWaits":
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()

    def result(self) -> dict:
        return {
            "samples": self.samples,
            "samples_with_a_wait": self.waiting_samples,
            "most_waiting_at_once": self.most_waiting,
            "lock_types": sorted(self.kinds),
        }


def load(port: int, target: str, seconds: int, connections: int, env: dict) -> dict:
    base = f"http://127.0.0.1:{port}"
    if target == "bare":
        return scan_load.wrk(f"{base}/bench/bare/", seconds, connections, None, {})
    path = "/bench/minimal-scan/" if target == "minimal" else "/api/checkpoints/scans/"
    run = {**env, "RUN": f"{target}{uuid.uuid4().hex[:6]}"}
    return scan_load.wrk(f"{base}{path}", seconds, connections, LUA, run)


def measured(process: subprocess.Popen, work: "callable") -> dict:
    before = app_cpu_seconds(process.pid)
    result = work()
    spent = app_cpu_seconds(process.pid) - before
    return {**result, "app_cpu_ms_per_request": round(spent * 1000 / result["requests"], 3)}


def servers_side_by_side(args: argparse.Namespace, env: dict) -> dict:
    results = {}
    for server in ("gunicorn", "granian"):
        process = start(server, 2, args.port)
        try:
            load(args.port, "scan", 3, 4, env)  # warm every worker's caches and connections
            row = {
                target: measured(
                    process,
                    lambda target=target: load(
                        args.port, target, args.duration, args.connections, env
                    ),
                )
                for target in ("bare", "minimal", "scan")
            }
        finally:
            stop(process)
        rate = {target: row[target]["requests_per_s"] for target in row}
        row["ratio_scan_to_minimal"] = round(rate["scan"] / rate["minimal"], 3)
        row["ratio_scan_to_bare"] = round(rate["scan"] / rate["bare"], 3)
        results[server] = row
    return results


def worker_counts(args: argparse.Namespace, env: dict) -> dict:
    """gunicorn on 2 cores: sync workers, 2 to 4, and 2 gthread workers of 4 threads (scans)."""
    results = {}
    for name, workers, threads in (("sync_3", 3, 1), ("sync_4", 4, 1), ("gthread_2x4", 2, 4)):
        process = start("gunicorn", workers, args.port, threads)
        try:
            load(args.port, "scan", 3, 4, env)
            results[name] = measured(
                process, lambda: load(args.port, "scan", args.duration, args.connections, env)
            )
        finally:
            stop(process)
    return results


def one_and_two_processes(args: argparse.Namespace, env: dict) -> dict:
    results = {}
    for workers in (1, 2):
        process = start("gunicorn", workers, args.port)
        try:
            load(args.port, "scan", 3, 4, env)
            with LockWaits(os.environ["DATABASE_URL"]) as waits:
                row = measured(
                    process,
                    lambda: load(args.port, "scan", args.duration, args.connections, env),
                )
            row["lock_waits"] = waits.result()
        finally:
            stop(process)
        results[f"{workers}_process"] = row
    return results


def at_fixed_rate(args: argparse.Namespace, fixtures: dict, codes: list[str]) -> dict:
    process = start("gunicorn", 2, args.port)
    try:
        return asyncio.run(
            scan_load.fixed_rate(args.port, fixtures, codes, args.rate, args.rate_seconds)
        )
    finally:
        stop(process)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--postgres", default=scan_load.PG_DEFAULT)
    parser.add_argument("--persons", type=int, default=20_000)
    parser.add_argument("--port", type=int, default=8792)
    parser.add_argument("--duration", type=int, default=15)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--rate", type=int, default=200)
    parser.add_argument("--rate-seconds", type=int, default=20)
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    scan_load.OUT.mkdir(parents=True, exist_ok=True)
    fixtures = scan_load.prepare(args.postgres, args.persons)
    codes = (scan_load.OUT / "codes.txt").read_text().split()
    env = {
        "CODES": str(scan_load.OUT / "codes.txt"),
        "TOKEN": fixtures["token"],
        "CHECKPOINT": str(fixtures["checkpoint"]),
    }
    result = {
        "benchmark": "scan_peak",
        "residents": fixtures["residents"],
        "wrk": {"threads": 2, "connections": args.connections, "seconds": args.duration},
        "servers": servers_side_by_side(args, env),
        "gunicorn_workers": worker_counts(args, env),
        "processes": one_and_two_processes(args, env),
        "fixed_rate": at_fixed_rate(args, fixtures, codes),
        "load_average": os.getloadavg(),
    }
    text = json.dumps(result, ensure_ascii=False, indent=2)
    (OUT / "result.json").write_text(text)
    print(text)


if __name__ == "__main__":
    main()
