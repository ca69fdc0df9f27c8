"""A delivery worker killed with SIGKILL while a message goes out: every phone gets the SMS exactly
once, none is missed (ADR 0013, docs/notify.md).

Each test freezes a message to the whole street (about 1,200 persons), starts the fake gateway and
real huey consumers (`manage.py run_huey`) on the test database, wakes them as sending a message
does, and kills one consumer outright once a given share of the deliveries was claimed. The gateway
pushes its receipts to this process's live server, whose receipt webhook writes them to the test
database. The gateway's log is the ground truth of what left. Leases (3 s) and the receipt window
(6 s) are short so that what the dead worker held is taken back within the test. Processes are
killed, so this runs in the PostgreSQL pass only.
"""

import io
import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from unittest import mock

import pytest
import redis
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.db.models import Q
from django.utils import timezone
from huey.contrib.djhuey import HUEY
from huey.storage import BaseStorage, RedisStorage, SqliteStorage

from conftest import make_id_number
from wangge.core.origin import Origin
from wangge.notify import workers
from wangge.notify.audience import audience_parse
from wangge.notify.models import Attempt, Channel, Delivery, Message, MessageKind
from wangge.notify.services import message_create, message_freeze
from wangge.people.models import Person

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="kills processes: PostgreSQL only"
    ),
    pytest.mark.django_db(transaction=True),
]

ROOT = Path(__file__).resolve().parents[1]
CROWD = 1200
GATEWAY_PORT = 8261
REDIS_URL = "redis://127.0.0.1:6379/7"
TEXT = "{称呼}您好：今天下午请到小区门口做核酸，带好身份证。"


def _wait_for(condition: Callable[[], bool], seconds: float, what: str, every=0.05) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(every)
    raise AssertionError(f"timed out after {seconds} s waiting for {what}")


@pytest.fixture
def crowd(world) -> set[str]:
    """The street's phones: the world's four residents and CROWD more, spread over its homes."""
    homes = list(world.households.values())
    people = []
    for serial in range(CROWD):
        person = Person(household=homes[serial % len(homes)], birth_date=date(1975, 3, 8), sex="F")
        person.set_name(f"钱{serial:04d}")
        person.set_id_number(make_id_number(serial, born=date(1960, 1, 1 + serial // 500)))
        person.set_phone(f"139{serial:08d}")
        people.append(person)
    Person.objects.bulk_create(people, batch_size=500)
    return {f"139{serial:08d}" for serial in range(CROWD)} | {
        "13800001111",
        "13900002222",
        "13700003333",
        "13600004444",
    }


@pytest.fixture
def message(crowd) -> Message:
    audience = audience_parse("street", "江南街道", by=None)
    made = message_create(
        by=None,
        origin=Origin.SYSTEM,
        audience=audience,
        channels=[Channel.SMS],
        text=TEXT,
        kind=MessageKind.EMERGENCY,
    )
    frozen = message_freeze(made.pk, now=timezone.now(), by=None, origin=Origin.SYSTEM)
    assert frozen.recipients_count == len(crowd) and frozen.unreachable_count == 0
    return frozen


@dataclass
class Gateway:
    """The fake gateway of the module, pushing receipts (0.3 s late) to the live server's receipt
    webhook; one JSON line per message it took in `log`."""

    log: Path
    process: subprocess.Popen

    def sent(self, references: set[str]) -> Counter[str]:
        """The phones it took under these attempt references, with how often."""
        lines = map(json.loads, self.log.read_text("utf-8").splitlines())
        return Counter(line["to"] for line in lines if line["reference"] in references)


@pytest.fixture(scope="module")
def var_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("notify-sigkill")


@pytest.fixture(scope="module")
def gateway(live_server, var_dir) -> Iterator[Gateway]:
    log = var_dir / "gateway.jsonl"
    token = settings.WANGGE["SMS_RECEIPT_TOKEN"]
    process = subprocess.Popen(
        [
            sys.executable,
            "manage.py",
            "fake_gateway",
            "--port",
            str(GATEWAY_PORT),
            "--log",
            str(log),
            "--receipt-url",
            f"{live_server.url}/notify/receipts/{token}/",
            "--delay-receipts",
            "0.3",
        ],
        cwd=ROOT,
        env=_environment(var_dir),
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert process.stdout is not None
    assert "listening" in process.stdout.readline()
    yield Gateway(log, process)
    process.terminate()
    process.wait(timeout=10)


def _environment(tmp_path: Path, **extra: str) -> dict[str, str]:
    database = connection.settings_dict
    env = {key: value for key, value in os.environ.items() if not key.startswith("PYTEST")}
    return env | {
        "DATABASE_URL": (
            f"postgres://{database['USER']}:{database['PASSWORD'] or ''}@{database['HOST']}:"
            f"{database['PORT'] or 5432}/{database['NAME']}"
        ),
        "WANGGE_VAR_DIR": str(tmp_path / "var"),
        "WANGGE_SECRET_KEY": settings.SECRET_KEY,
        "WANGGE_FIELD_KEY": settings.FIELD_ENCRYPTION_KEY,
        "WANGGE_SMS_URL": f"http://127.0.0.1:{GATEWAY_PORT}/sms",
        "WANGGE_NOTIFY_LEASE_SECONDS": "3",
        "WANGGE_NOTIFY_RECEIPT_WINDOW": "6",
        "WANGGE_NOTIFY_CLAIM_BATCH": "40",
        **extra,
    }


def _says(output: Path, words: str) -> Callable[[], bool]:
    return lambda: words in output.read_text().lower()


class Consumers:
    """`manage.py run_huey` processes started and killed by the tests."""

    def __init__(self, var_dir: Path, env: dict[str, str]):
        self.var_dir, self.env = var_dir, env
        self.running: list[tuple[subprocess.Popen, Path]] = []

    def alive(self) -> list[subprocess.Popen]:
        return [process for process, _ in self.running if process.poll() is None]

    def start(self, count: int) -> None:
        for _ in range(count):
            output = self.var_dir / f"consumer-{len(self.running)}.log"
            process = subprocess.Popen(
                [sys.executable, "manage.py", "run_huey"],
                cwd=ROOT,
                env=self.env,
                stdout=output.open("w"),
                stderr=subprocess.STDOUT,
            )
            self.running.append((process, output))

    def ready(self, count: int) -> None:
        """`count` consumers alive and listening (started now if missing)."""
        self.start(count - len(self.alive()))
        for process, output in self.running:
            if process.poll() is None:
                _wait_for(_says(output, "consumer started"), 60, f"consumer {process.pid} to start")

    def kill_busiest(self, message: Message) -> None:
        """SIGKILL the consumer holding leased deliveries (else the first alive)."""
        holders = Counter(
            worker.split(":")[1]
            for worker in Delivery.objects.filter(message=message)
            .exclude(worker="")
            .values_list("worker", flat=True)
        )
        alive = self.alive()
        victim = ([process for process in alive if holders[str(process.pid)]] or alive)[0]
        victim.send_signal(signal.SIGKILL)
        assert victim.wait(timeout=10) == -signal.SIGKILL

    def stop(self) -> None:
        for process in self.alive():
            process.terminate()
        for process, _ in self.running:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


@pytest.fixture(scope="module")
def redis_consumers(var_dir) -> Iterator[Consumers]:
    """Two consumers on a Redis queue of their own, kept for the module: a killed one is replaced
    after its test, while the next one sets up."""
    queue = redis.Redis.from_url(REDIS_URL)
    queue.flushdb()
    running = Consumers(
        var_dir,
        _environment(var_dir, WANGGE_TASKS="redis", REDIS_URL=REDIS_URL, WANGGE_TASK_WORKERS="1"),
    )
    running.start(2)
    yield running
    running.stop()
    queue.flushdb()


def _wake(storage: BaseStorage) -> None:
    """What sending a message does after freezing it (workers.wake), into the consumers' queue."""
    with mock.patch.object(HUEY, "_immediate", False), mock.patch.object(HUEY, "storage", storage):
        workers.wake([Channel.SMS])


def _claimed_share(message: Message) -> float:
    rows = Delivery.objects.filter(message=message)
    return rows.filter(Q(attempt__isnull=False) | ~Q(worker="")).count() / rows.count()


def _wait_until_claimed(message: Message, share: float) -> None:
    _wait_for(lambda: _claimed_share(message) >= share, 60, f"{share:.0%} claimed", every=0.02)


def _assert_every_phone_once(message: Message, gateway: Gateway, phones: set[str]) -> None:
    rows = Delivery.objects.filter(message=message)
    _wait_for(
        lambda: not rows.exclude(state=Delivery.State.DELIVERED).exists(),
        60,
        "every delivery to be delivered",
        every=0.2,
    )
    # The database holds this test's attempts only (it is emptied after each test).
    sent = gateway.sent(set(Attempt.objects.values_list("reference", flat=True)))
    assert set(sent) == phones, f"missing {sorted(phones - set(sent))[:5]}"
    twice = {phone: n for phone, n in sent.items() if n > 1}
    assert not twice, f"{len(twice)} phones got the message more than once"
    out = io.StringIO()
    call_command("notify_status", str(message.pk), stdout=out)
    status = json.loads(out.getvalue().splitlines()[-1])
    assert status["recipients"] == len(phones) == status["delivered"]
    assert status["pending"] == status["sent"] == status["failed"] == 0
    message.refresh_from_db()
    assert message.status == Message.Status.SENT and message.all_sent_at is not None


@pytest.mark.parametrize("share", [0.1, 0.5, 0.9])
def test_one_of_two_redis_consumers_killed_mid_send_every_phone_gets_it_once(
    redis_consumers, gateway, message, crowd, share
):
    # given two consumers on Redis, woken for a frozen message to the whole street
    redis_consumers.ready(2)
    _wake(RedisStorage(settings.HUEY["name"], url=REDIS_URL))

    # when one of them is killed once `share` of the deliveries were claimed
    _wait_until_claimed(message, share)
    redis_consumers.kill_busiest(message)

    # then the other one sends the rest: every phone once, none missing, all delivered
    try:
        _assert_every_phone_once(message, gateway, crowd)
    finally:
        redis_consumers.start(1)


@pytest.fixture
def embedded(tmp_path, redis_consumers) -> Iterator[tuple[Consumers, SqliteStorage]]:
    """The one consumer of the embedded mode and its queue (a SQLite file); started before the
    street is built, so that it starts up meanwhile. The Redis consumers are stopped: their minute
    tick would take the message too."""
    redis_consumers.stop()
    (tmp_path / "var").mkdir()
    running = Consumers(tmp_path, _environment(tmp_path, WANGGE_TASKS="sqlite"))
    running.start(1)
    yield (
        running,
        SqliteStorage(settings.HUEY["name"], filename=str(tmp_path / "var" / "tasks.sqlite3")),
    )
    running.stop()


def test_the_embedded_consumer_killed_mid_send_and_restarted_sends_every_phone_once(
    embedded, gateway, message, crowd
):
    # given the one consumer of the embedded mode, woken for the message
    running, queue = embedded
    running.ready(1)
    _wake(queue)

    # when it is killed halfway, started again and woken (as the minute tick would)
    _wait_until_claimed(message, 0.5)
    running.kill_busiest(message)
    running.ready(1)
    _wake(queue)

    # then every phone gets the message once, none missing, all delivered
    _assert_every_phone_once(message, gateway, crowd)
