"""The robots' shared send budget: a token bucket per key that no two workers can overdraw, in the
database (embedded mode) and in Redis (distributed mode)."""

import multiprocessing
import time
import uuid
from datetime import timedelta

import pytest
import redis
import time_machine
from django.db import connections
from django.utils import timezone

from wangge.notify import ratelimit
from wangge.notify.models import RateBucket

TAKERS = 2
TRIES_EACH = 40
BUDGET = 30

pytestmark = pytest.mark.django_db


def redis_up() -> bool:
    try:
        return bool(redis.Redis.from_url("redis://127.0.0.1:6379/0").ping())
    except redis.RedisError:
        return False


@pytest.fixture(params=["database", "redis"])
def mode(request, settings):
    if request.param == "redis":
        if not redis_up():
            pytest.skip("Redis is not running on 127.0.0.1:6379")
        settings.TASKS_BACKEND = "redis"
    else:
        settings.TASKS_BACKEND = "sqlite"
    return request.param


def fresh_key() -> str:
    return f"test:{uuid.uuid4().hex}"


def test_a_bucket_grants_up_to_its_budget_then_nothing(mode):
    key = fresh_key()

    granted = [ratelimit.take(key, 8, 20), ratelimit.take(key, 8, 20), ratelimit.take(key, 8, 20)]

    assert granted[:2] == [8, 8]
    assert granted[2] in (4, 5)  # 4 left; at most one more refilled meanwhile


def test_nothing_is_granted_for_nothing_asked(mode):
    assert ratelimit.take(fresh_key(), 0, 20) == 0


def test_a_parked_bucket_grants_nothing(mode):
    key = fresh_key()
    ratelimit.take(key, 1, 20)

    ratelimit.park(key, 600)

    assert ratelimit.take(key, 1, 20) == 0


def test_the_database_bucket_refills_at_its_rate_and_after_parking():
    key = fresh_key()
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        ratelimit.take(key, 20, 20)
        traveller.shift(timedelta(seconds=30))
        assert ratelimit.take(key, 20, 20) == 10
        ratelimit.park(key, 600)
        traveller.shift(timedelta(seconds=599))
        assert ratelimit.take(key, 1, 20) == 0
        traveller.shift(timedelta(seconds=7))
        assert ratelimit.take(key, 5, 20) == 2
        traveller.shift(timedelta(hours=1))
        assert ratelimit.take(key, 50, 20) == 20
    assert RateBucket.objects.filter(key=key).count() == 1


def test_the_redis_bucket_refills_at_its_rate(settings):
    if not redis_up():
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    settings.TASKS_BACKEND = "redis"
    key = fresh_key()
    ratelimit.take(key, 600, 600)

    time.sleep(0.35)

    assert 2 <= ratelimit.take(key, 600, 600) <= 6


def _taker(key: str, start: float, results: "multiprocessing.Queue[int]") -> None:
    while time.time() < start:
        time.sleep(0.001)
    results.put(sum(ratelimit.take(key, 1, BUDGET) for _ in range(TRIES_EACH)))
    connections.close_all()


@pytest.mark.django_db(transaction=True)
def test_two_processes_taking_at_once_never_get_more_than_the_budget(mode):
    key = fresh_key()
    connections.close_all()
    context = multiprocessing.get_context("fork")
    results: multiprocessing.Queue[int] = context.Queue()
    start = time.time() + 1.0
    takers = [context.Process(target=_taker, args=(key, start, results)) for _ in range(TAKERS)]
    for taker in takers:
        taker.start()
    granted = [results.get(timeout=120) for _ in takers]
    elapsed = time.time() - start
    for taker in takers:
        taker.join(timeout=30)

    refilled = int(elapsed * BUDGET / 60)
    assert all(taker.exitcode == 0 for taker in takers)
    assert BUDGET <= sum(granted) <= BUDGET + refilled, (granted, elapsed)
