"""Fan-out benchmark: one SMS to every green household of the demo street through the delivery
engine (PostgreSQL, Redis queue, 2 consumer processes), beside the fake gateway's own ceiling.

    createdb -h 127.0.0.1 -U postgres bench_notify
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_notify
    .venv/bin/python manage.py migrate
    .venv/bin/python manage.py seed_demo --persons 75000 --seed 1 --register-only
    .venv/bin/python bench/notify_fanout.py --redis redis://127.0.0.1:6379/8 --port 8262

Three runs, each with a fresh fake gateway (receipts pushed to a gunicorn serving this database),
each with a message of its own to the same households (emergency kind: no daily cap):
1. ceiling: a message's request bodies as the engine builds them (claim batch by claim batch, the
   Aliyun preset's requests) posted by a plain pool of --consumers threads through the engine's
   HTTP client: the most the gateway takes here, without the database;
2. engine: a message frozen once the consumers listen, woken as `message_send` does; time from
   the wake until nothing is queued or sending (all sent), and until every receipt came;
3. kill: the same, and one consumer is killed (SIGKILL) once half of the deliveries were claimed,
   started again and woken (as the minute tick would). Short lease (--lease) and receipt window
   (--window) so the dead worker's batch comes back within the run. The gateway's log must name
   every phone exactly once.

The queue (the Redis database given) is flushed. Prints one JSON object; asserts nothing.
"""

import argparse
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wangge.settings")

import django  # noqa: E402

django.setup()

import redis  # noqa: E402
from django.conf import settings  # noqa: E402
from django.db.models import Q  # noqa: E402
from django.utils import timezone  # noqa: E402
from huey.contrib.djhuey import HUEY  # noqa: E402
from huey.storage import RedisStorage  # noqa: E402

from wangge.core.origin import Origin  # noqa: E402
from wangge.notify import workers  # noqa: E402
from wangge.notify.audience import audience_parse  # noqa: E402
from wangge.notify.channels import sms, transport  # noqa: E402
from wangge.notify.delivery import outgoing  # noqa: E402
from wangge.notify.models import Channel, Delivery, Message, MessageKind  # noqa: E402
from wangge.notify.services import message_create, message_freeze  # noqa: E402

OUT = ROOT / "bench" / "out" / "notify-fanout"
TEXT = "{称呼}您好：今天下午请到小区门口做核酸，带好身份证。"
OPEN = (Delivery.State.QUEUED, Delivery.State.SENDING)
# Not final yet: still to leave, or left and waiting for its receipt.
WAITING = (*OPEN, Delivery.State.UNKNOWN, Delivery.State.SENT)


def wait_for(condition: Callable[[], bool], seconds: float, every: float = 0.1) -> float:
    start = time.monotonic()
    while not condition():
        if time.monotonic() - start > seconds:
            raise SystemExit(f"timed out after {seconds} s")
        time.sleep(every)
    return time.monotonic() - start


class Stack:
    """The processes of one run: gateway, receipt server, consumers."""

    def __init__(self, args: argparse.Namespace, name: str, **env: str):
        self.args, self.name = args, name
        self.env = {
            **os.environ,
            "WANGGE_TASKS": "redis",
            "REDIS_URL": args.redis,
            "WANGGE_TASK_WORKERS": "1",
            "WANGGE_SMS_URL": f"http://127.0.0.1:{args.port}/sms",
            "WANGGE_SECRET_KEY": settings.SECRET_KEY,
            "WANGGE_FIELD_KEY": settings.FIELD_ENCRYPTION_KEY,
            "WANGGE_SMS_RECEIPT_TOKEN": settings.WANGGE["SMS_RECEIPT_TOKEN"],
            **env,
        }
        self.log = OUT / f"{name}.jsonl"
        self.log.unlink(missing_ok=True)
        self.processes: list[subprocess.Popen] = []
        self.consumers: list[subprocess.Popen] = []

    def spawn(self, command: list[str], output: str, ready: str) -> subprocess.Popen:
        path = OUT / output
        process = subprocess.Popen(
            command, cwd=ROOT, env=self.env, stdout=path.open("w"), stderr=subprocess.STDOUT
        )
        self.processes.append(process)
        wait_for(lambda: ready in path.read_text().lower(), 120)
        return process

    def gateway(self, receipts: bool = True) -> None:
        token = settings.WANGGE["SMS_RECEIPT_TOKEN"]
        receipt_port = self.args.port + 1
        url = f"http://127.0.0.1:{receipt_port}/notify/receipts/{token}/"
        if receipts:
            self.spawn(
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "--bind",
                    f"127.0.0.1:{receipt_port}",
                    "--workers",
                    "1",
                    "--threads",
                    "4",
                    "wangge.wsgi",
                ],
                f"{self.name}-receipts.out",
                "booting worker",
            )
        self.spawn(
            [
                sys.executable,
                "manage.py",
                "fake_gateway",
                "--port",
                str(self.args.port),
                "--log",
                str(self.log),
                "--receipt-url",
                url,
                "--delay-receipts",
                "1" if receipts else "3600",
            ],
            f"{self.name}-gateway.out",
            "listening",
        )

    def consumer(self) -> subprocess.Popen:
        n = len(self.consumers)
        process = self.spawn(
            [sys.executable, "manage.py", "run_huey"],
            f"{self.name}-consumer-{n}.out",
            "consumer started",
        )
        self.consumers.append(process)
        return process

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.terminate()
        for process in self.processes:
            process.wait(timeout=30)

    def sent(self) -> Counter[str]:
        return Counter(json.loads(line)["to"] for line in self.log.read_text().splitlines())


def wake(url: str) -> None:
    storage = RedisStorage(settings.HUEY["name"], url=url)
    with mock.patch.object(HUEY, "_immediate", False), mock.patch.object(HUEY, "storage", storage):
        workers.wake([Channel.SMS])


def frozen_message() -> tuple[Message, float]:
    audience = audience_parse("colour", "green", by=None)
    made = message_create(
        by=None,
        origin=Origin.SYSTEM,
        audience=audience,
        channels=[Channel.SMS],
        text=TEXT,
        kind=MessageKind.EMERGENCY,
    )
    start = time.perf_counter()
    message = message_freeze(made.pk, now=timezone.now(), by=None, origin=Origin.SYSTEM)
    return message, time.perf_counter() - start


def phones(message: Message) -> set[str]:
    """The message's phones the gateway should see (the adapter fails numbers that are not
    mobiles before sending)."""
    rows = Delivery.objects.filter(message=message).select_related("recipient")
    return {sms.mobile(row.recipient.phone) for row in rows} - {""}


def ceiling(args: argparse.Namespace, message: Message) -> dict[str, float]:
    """The message's request bodies, built as the engine builds them (claim batch by claim batch,
    the preset's requests), posted by `--consumers` threads: what the gateway takes at most."""
    rows = list(
        Delivery.objects.filter(message=message)
        .select_related("recipient", "message")
        .order_by("id")
    )
    preset = sms.preset()
    batch = settings.WANGGE["NOTIFY_CLAIM_BATCH"]
    bodies: list[tuple[bytes, int]] = []
    for start in range(0, len(rows), batch):
        items = [
            (item, sms.mobile(item.address))
            for item in map(outgoing, rows[start : start + batch])
            if sms.mobile(item.address)
        ]
        bodies += [(body, len(carried)) for body, carried in preset.requests(f"c{start}", items)]
    stack = Stack(args, "ceiling")
    stack.gateway(receipts=False)
    url = f"http://127.0.0.1:{args.port}/sms"
    pending = list(bodies)
    lock = threading.Lock()

    def post() -> None:
        while True:
            with lock:
                if not pending:
                    return
                body, _ = pending.pop()
            reply = transport.post(url, body, preset.content_type, 30)
            assert reply.status == 200, reply

    threads = [threading.Thread(target=post) for _ in range(args.consumers)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - began
    stack.stop()
    # Its deliveries are not for the engine: the consumers' minute tick would send them.
    Delivery.objects.filter(message=message).update(
        state=Delivery.State.FAILED, error_code="bench_ceiling"
    )
    count = sum(n for _, n in bodies)
    return {
        "ceiling_messages": count,
        "ceiling_requests": len(bodies),
        "ceiling_s": round(seconds, 2),
        "ceiling_msgs_per_s": round(count / seconds),
    }


def claimed(message: Message) -> float:
    rows = Delivery.objects.filter(message=message)
    return rows.filter(Q(attempt__isnull=False) | ~Q(worker="")).count() / rows.count()


def engine_run(args: argparse.Namespace, name: str, kill: bool) -> dict:
    """A message frozen once the consumers listen (before, their minute tick could start it
    early), then woken; timed from the wake."""
    env = {"WANGGE_NOTIFY_LEASE_SECONDS": str(args.lease)} if kill else {}
    if kill:
        env["WANGGE_NOTIFY_RECEIPT_WINDOW"] = str(args.window)
    stack = Stack(args, name, **env)
    redis.Redis.from_url(args.redis).flushdb()
    figures: dict[str, object] = {}
    try:
        stack.gateway()
        for _ in range(args.consumers):
            stack.consumer()
        message, _ = frozen_message()
        expected = phones(message)
        rows = Delivery.objects.filter(message=message)
        start = time.monotonic()
        wake(args.redis)
        if kill:
            wait_for(lambda: claimed(message) >= 0.5, 300, every=0.05)
            victim = stack.consumers[0]
            victim.send_signal(signal.SIGKILL)
            victim.wait()
            figures["killed_at_s"] = round(time.monotonic() - start, 2)
            figures["killed_at_claimed"] = round(claimed(message), 3)
            stack.consumer()
            wake(args.redis)
        wait_for(lambda: not rows.filter(state__in=OPEN).exists(), 600, every=0.2)
        all_sent = time.monotonic() - start
        wait_for(lambda: not rows.filter(state__in=WAITING).exists(), 600, 0.5)
        all_delivered = time.monotonic() - start
        sent = stack.sent()
    finally:
        stack.stop()
    count = len(expected)
    figures |= {
        "messages": count,
        "all_sent_s": round(all_sent, 2),
        "msgs_per_s": round(count / all_sent),
        "all_delivered_s": round(all_delivered, 2),
        "duplicates": sum(n - 1 for n in sent.values() if n > 1),
        "missing": len(expected - set(sent)),
        "unexpected": len(set(sent) - expected),
    }
    return {f"{name}_{key}": value for key, value in figures.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/8")
    parser.add_argument("--port", type=int, default=8262, help="gateway; receipts on PORT+1")
    parser.add_argument("--consumers", type=int, default=2)
    parser.add_argument("--lease", type=int, default=10, help="kill run's lease, seconds")
    parser.add_argument("--window", type=int, default=20, help="kill run's receipt window")
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("terminated"))
    OUT.mkdir(parents=True, exist_ok=True)
    # What earlier runs left open is no business of this one.
    Delivery.objects.filter(state__in=WAITING).update(
        state=Delivery.State.FAILED, error_code="bench_leftover"
    )
    first, freeze_s = frozen_message()
    figures: dict[str, object] = {"freeze_s": round(freeze_s, 2), "load_before": os.getloadavg()}
    figures |= ceiling(args, first)
    figures |= engine_run(args, "engine", kill=False)
    figures["ratio"] = round(figures["engine_msgs_per_s"] / figures["ceiling_msgs_per_s"], 2)  # type: ignore[operator]
    figures |= engine_run(args, "kill", kill=True)
    figures["load_after"] = os.getloadavg()
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
