"""Token buckets shared by every worker: robots may post 20 messages a minute each.

    take(key, want, per_minute) -> granted (0..want)
    park(key, seconds)          -> take() grants nothing until then

A bucket holds at most `per_minute` tokens and refills at per_minute/60 a second. Parking sets the
bucket's clock into the future with no tokens: it refills only from then on.

Distributed mode (settings.TASKS_BACKEND == "redis"): one Lua script per call on Redis (REDIS_URL),
atomic, with Redis's own clock. Embedded mode: the notify.RateBucket row, read and written in one
transaction under a row lock (PostgreSQL: SELECT … FOR UPDATE; SQLite: the transaction takes the
write lock at BEGIN, settings' IMMEDIATE mode, so takers queue).
"""

import functools
import os
from datetime import timedelta
from typing import Any

import redis
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from wangge.notify.models import RateBucket

PREFIX = "wangge:rate:"

_TAKE = """
local now = redis.call('TIME')
local now_s = tonumber(now[1]) + tonumber(now[2]) / 1000000
local capacity = tonumber(ARGV[2])
local rate = capacity / 60
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1])
local at = tonumber(state[2])
if tokens == nil then
  tokens = capacity
  at = now_s
end
if now_s < at then
  return 0
end
tokens = math.min(capacity, tokens + (now_s - at) * rate)
local granted = math.min(tonumber(ARGV[1]), math.floor(tokens))
if granted < 0 then granted = 0 end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens - granted), 'at', tostring(now_s))
redis.call('EXPIRE', KEYS[1], 3600)
return granted
"""

_PARK = """
local now = redis.call('TIME')
local until_s = tonumber(now[1]) + tonumber(now[2]) / 1000000 + tonumber(ARGV[1])
redis.call('HSET', KEYS[1], 'tokens', '0', 'at', tostring(until_s))
redis.call('EXPIRE', KEYS[1], math.ceil(tonumber(ARGV[1])) + 3600)
return 1
"""


def _distributed() -> bool:
    return bool(settings.TASKS_BACKEND == "redis")


@functools.cache
def _redis() -> Any:
    return redis.Redis.from_url(os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"))


def take(key: str, want: int, per_minute: int) -> int:
    """Take up to `want` tokens from the bucket `key`; the number granted."""
    if want <= 0 or per_minute <= 0:
        return 0
    if _distributed():
        return int(_redis().eval(_TAKE, 1, PREFIX + key, want, per_minute))
    return _take_row(key, want, per_minute)


def park(key: str, seconds: int) -> None:
    """Grant nothing from the bucket `key` for `seconds`, then refill from empty."""
    if _distributed():
        _redis().eval(_PARK, 1, PREFIX + key, seconds)
        return
    RateBucket.objects.update_or_create(
        key=key, defaults={"tokens": 0.0, "updated_at": timezone.now() + timedelta(seconds=seconds)}
    )


def _take_row(key: str, want: int, per_minute: int) -> int:
    with transaction.atomic():
        bucket = RateBucket.objects.select_for_update().filter(key=key).first()
        if bucket is None:
            bucket, created = RateBucket.objects.get_or_create(
                key=key, defaults={"tokens": float(per_minute), "updated_at": timezone.now()}
            )
            if not created:
                bucket = RateBucket.objects.select_for_update().get(pk=bucket.pk)
        # Read the clock once the lock is held: no holder before wrote a later time.
        now = timezone.now()
        if now < bucket.updated_at:
            return 0
        elapsed = (now - bucket.updated_at).total_seconds()
        tokens = min(float(per_minute), bucket.tokens + elapsed * per_minute / 60)
        granted = max(0, min(want, int(tokens)))
        bucket.tokens = tokens - granted
        bucket.updated_at = now
        bucket.save(update_fields=["tokens", "updated_at"])
        return granted
