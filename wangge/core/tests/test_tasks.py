"""Tasks round-trip through the real queues: Redis (WANGGE_TASKS=redis) and the embedded SQLite file.

The queues are built from the HUEY setting exactly as settings.py shapes it for each mode, under a
private queue name so that a running worker never sees the test's tasks. Without Redis the Redis
test is skipped, except with CI=true, where it fails.
"""

import os
import runpy
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import redis
import time_machine
from django.conf import settings
from django.utils import timezone
from huey import Huey
from huey.contrib.djhuey import HUEY
from huey.utils import load_class

from wangge.core.models import Alert, AuditEntry
from wangge.core.services import alert_purge_read, post_alert
from wangge.core.tasks import alerts_purge_read


def huey_setting(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, tasks: str | None) -> dict:
    """settings.HUEY as settings.py builds it with WANGGE_TASKS=`tasks`."""
    monkeypatch.setenv("WANGGE_VAR_DIR", str(tmp_path))
    monkeypatch.delenv("WANGGE_TASKS_IMMEDIATE", raising=False)
    if tasks:
        monkeypatch.setenv("WANGGE_TASKS", tasks)
    else:
        monkeypatch.delenv("WANGGE_TASKS", raising=False)
    return runpy.run_path(str(Path(settings.BASE_DIR) / "wangge" / "settings.py"))["HUEY"]


def huey_from(setting: dict) -> Huey:
    """The queue huey.contrib.djhuey builds from that setting, under a private name."""
    options = dict(setting)
    huey_class = load_class(options.pop("huey_class"))
    options.pop("consumer")
    options.pop("name")
    return huey_class(f"wangge-test-{uuid.uuid4().hex[:12]}", **options)


def add(a: int, b: int) -> int:
    return a + b


def round_trip(huey: Huey) -> None:
    """Enqueue, take the message off the queue as a worker does, execute it, read the result."""
    task = huey.task()(add)

    result = task(2, 3)
    assert huey.pending_count() == 1
    message = huey.dequeue()
    huey.execute(message)

    assert huey.pending_count() == 0
    assert result.get() == 5


def purge_round_trip(huey: Huey, world) -> None:
    """The nightly purge, through the queue: the read alert goes, the unread one stays."""
    gavin = world.users["gavin"]
    old_read, old_unread = (
        post_alert([gavin], "test", "旧的已读"),
        post_alert([gavin], "test", "未读"),
    )
    Alert.objects.filter(pk=old_read[0].pk).update(read_at=timezone.now() - timedelta(days=400))
    purge = huey.task(name="alerts_purge_read")(alerts_purge_read.call_local)

    result = purge()
    huey.execute(huey.dequeue())

    assert result.get() == 1
    assert list(Alert.objects.filter(recipient=gavin)) == old_unread


@pytest.fixture
def redis_huey(monkeypatch, tmp_path):
    setting = huey_setting(monkeypatch, tmp_path, "redis")
    assert setting["huey_class"] == "huey.RedisHuey"
    try:
        redis.Redis.from_url(setting["url"], socket_connect_timeout=2).ping()
    except redis.exceptions.ConnectionError as error:
        message = f"Redis unreachable at {setting['url']}: {error}"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    huey = huey_from(setting)
    yield huey
    huey.flush()


@pytest.fixture
def sqlite_huey(monkeypatch, tmp_path):
    setting = huey_setting(monkeypatch, tmp_path, None)
    assert setting["huey_class"] == "huey.SqliteHuey"
    assert setting["filename"] == str(tmp_path / "tasks.sqlite3")
    return huey_from(setting)


def test_a_task_round_trips_through_redis(redis_huey):
    round_trip(redis_huey)


def test_a_task_round_trips_through_the_embedded_sqlite_queue(sqlite_huey):
    round_trip(sqlite_huey)


def test_the_purge_task_runs_from_redis(redis_huey, world):
    purge_round_trip(redis_huey, world)


def test_the_purge_task_runs_from_the_sqlite_queue(sqlite_huey, world):
    purge_round_trip(sqlite_huey, world)


@time_machine.travel(datetime(2026, 3, 1, 16, 1, tzinfo=UTC), tick=False)
def test_purge_deletes_only_alerts_read_before_the_retention_period(world, settings):
    # given
    settings.WANGGE = {**settings.WANGGE, "ALERT_RETENTION_DAYS": 30}
    carol = world.users["carol"]
    stale, recent, unread = (
        post_alert([carol], "t", "甲"),
        post_alert([carol], "t", "乙"),
        post_alert([carol], "t", "丙"),
    )
    now = timezone.now()
    Alert.objects.filter(pk=stale[0].pk).update(read_at=now - timedelta(days=31))
    Alert.objects.filter(pk=recent[0].pk).update(read_at=now - timedelta(days=29))
    Alert.objects.filter(pk=unread[0].pk).update(created_at=now - timedelta(days=365))

    # when
    deleted = alerts_purge_read.call_local()

    # then
    assert deleted == 1
    assert set(Alert.objects.values_list("text", flat=True)) == {"乙", "丙"}
    entry = AuditEntry.objects.get(target_type="core.alert")
    assert entry.changes == {"deleted": 1, "read_before_days": 30}


def test_purge_with_nothing_to_delete_writes_no_audit_entry(world):
    assert alert_purge_read(older_than=timedelta(days=1)) == 0
    assert not AuditEntry.objects.filter(target_type="core.alert").exists()


def test_purge_is_scheduled_nightly_at_0330_shanghai_time():
    def due(hour: int, minute: int) -> bool:
        periodic = HUEY.read_periodic(datetime(2025, 3, 1, hour, minute, tzinfo=UTC))
        return any(isinstance(task, alerts_purge_read.task_class) for task in periodic)

    assert due(19, 30)  # huey schedules in UTC: 19:30 UTC is 03:30 in Asia/Shanghai
    assert not due(3, 30)
    assert not due(19, 31)
