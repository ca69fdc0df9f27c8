"""Per-process caches of what hot paths read on every request and staff change rarely (who mans
which checkpoint, its doors), kept valid across processes by one counter in the database.

Every save or delete of a watched model raises the counter (`watch`: post_save and post_delete, in
the writer's own transaction, so the new value is seen exactly when the write is). A reader learns
the counter from a query it makes anyway — the API token's (`generation_subquery`) — or, failing
that, with one small query; an entry loaded under another value is loaded again. Entries also
expire after `MAX_AGE_SECONDS`, which bounds how long a write that bypasses signals
(QuerySet.update, bulk_create, raw SQL) can go unseen.

Nothing here is shared between processes except the counter: several app servers and workers each
keep their own entries and agree through the database (docs/architecture.md, "Per-process caches").
"""

import threading
import time
from collections.abc import Callable, Hashable, Iterable
from typing import Any, Generic, TypeVar

from django.db.models import F, Model, Subquery
from django.db.models.signals import post_delete, post_save

from wangge.core.models import CacheGeneration

MAX_AGE_SECONDS = 60.0
MAX_ENTRIES = 10_000  # per cache; past it the cache starts again empty (keys carry the day)
_MEMO = "_wangge_cache_generation"
_ROW = 1

Value = TypeVar("Value")
_caches: list["ProcessCache[Any]"] = []


def generation_subquery() -> Subquery:
    """The counter as a column of another query (annotate the API token with it)."""
    return Subquery(CacheGeneration.objects.filter(pk=_ROW).values("value")[:1])


def remember_generation(holder: Any, value: int | None) -> None:
    """Keep the counter read with the token on the request's user, for `generation`."""
    holder.__dict__[_MEMO] = value or 0


def generation(holder: Any = None) -> int:
    """The counter: as read with the request's API token (kept on `holder`, the request's user),
    else from the database."""
    if holder is not None and _MEMO in holder.__dict__:
        return int(holder.__dict__[_MEMO])
    value = CacheGeneration.objects.filter(pk=_ROW).values_list("value", flat=True).first()
    return value or 0


def bump() -> None:
    """Raise the counter; every process loads its entries again."""
    if not CacheGeneration.objects.filter(pk=_ROW).update(value=F("value") + 1):
        CacheGeneration.objects.get_or_create(pk=_ROW, defaults={"value": 1})


def watch(model: type[Model], fields: Iterable[str] | None = None) -> None:
    """Raise the counter on every save and delete of `model`; with `fields`, a save that names
    its `update_fields` raises it only when one of `fields` is among them (a sign-in writes
    `last_login` alone)."""
    relevant = frozenset(fields) if fields is not None else None

    def saved(update_fields: Iterable[str] | None = None, **_: Any) -> None:
        if relevant is None or update_fields is None or relevant & set(update_fields):
            bump()

    def deleted(**_: Any) -> None:
        bump()

    uid = f"process_cache:{model._meta.label}"
    post_save.connect(saved, sender=model, weak=False, dispatch_uid=uid)
    post_delete.connect(deleted, sender=model, weak=False, dispatch_uid=uid)


class ProcessCache(Generic[Value]):
    """key → value, valid while the counter stays what it was when the value was loaded and for at
    most MAX_AGE_SECONDS. Safe under threads: an entry is replaced whole."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._entries: dict[Hashable, tuple[int, float, Value]] = {}
        self._lock = threading.Lock()
        _caches.append(self)

    def get(self, key: Hashable, current: int, load: Callable[[], Value]) -> Value:
        entry = self._entries.get(key)
        now = time.monotonic()
        if entry is not None and entry[0] == current and entry[1] > now:
            return entry[2]
        value = load()
        with self._lock:
            if len(self._entries) >= MAX_ENTRIES:
                self._entries.clear()
            self._entries[key] = (current, now + MAX_AGE_SECONDS, value)
        return value

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


def clear_all() -> None:
    """Forget every entry of every cache of this process (tests, between databases)."""
    for cache in _caches:
        cache.clear()
