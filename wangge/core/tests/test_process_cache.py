"""Per-process caches: an entry holds while the counter holds and for at most MAX_AGE_SECONDS;
writes to watched models raise the counter; a sign-in's `last_login` does not."""

import pytest

from wangge.accounts.models import User
from wangge.core import process_cache


def test_an_entry_is_loaded_again_when_the_counter_moves(db):
    cache = process_cache.ProcessCache("test")
    loads = []

    def load() -> int:
        loads.append(1)
        return len(loads)

    assert cache.get("k", process_cache.generation(), load) == 1
    assert cache.get("k", process_cache.generation(), load) == 1
    process_cache.bump()
    assert cache.get("k", process_cache.generation(), load) == 2


def test_an_entry_expires(db, monkeypatch):
    cache = process_cache.ProcessCache("test")
    assert cache.get("k", 0, lambda: "old") == "old"
    later = process_cache.time.monotonic() + process_cache.MAX_AGE_SECONDS + 1
    monkeypatch.setattr(process_cache.time, "monotonic", lambda: later)
    assert cache.get("k", 0, lambda: "new") == "new"


def test_a_cache_stays_bounded(monkeypatch):
    monkeypatch.setattr(process_cache, "MAX_ENTRIES", 3)
    cache = process_cache.ProcessCache("test")
    for key in range(7):
        cache.get(key, 0, lambda: "v")
    assert len(cache._entries) <= 3


@pytest.mark.parametrize(
    ("fields", "moves"),
    [(["last_login"], False), (["is_active"], True), (None, True)],
)
def test_a_users_save_moves_the_counter_only_for_what_duty_reads(world, fields, moves):
    user = User.objects.get(username="kim")
    before = process_cache.generation()
    user.save(update_fields=fields)
    assert (process_cache.generation() > before) is moves


def test_a_request_reads_the_counter_once(db, django_assert_num_queries):
    holder = User(username="x")
    process_cache.remember_generation(holder, 41)
    with django_assert_num_queries(0):
        assert process_cache.generation(holder) == 41
