"""Reads that may be a little stale, sent to the read replica — only where the code says so.

Django's routers see a model and hints, never the request, so a router cannot tell a report from a
read that must be fresh. The choice is therefore explicit: a view (or any caller) opts in with
`@replica_reads` or `with replica_reads():`, and only inside it does `ReplicaRouter` send reads to
the "replica" alias (settings: DATABASE_REPLICA_URL). Even there a read stays on the primary when

- no replica is configured (SQLite, or a single PostgreSQL);
- it runs inside a transaction (`atomic()`): what a transaction reads must be what it writes on;
- this context has already written (read-your-writes within one request);
- its model is one whose staleness is a fault: users, roles and grants, sessions, login attempts
  (django-axes), content types, and the job lifecycle's leases (`FRESH_APPS`, `FRESH_MODELS`);
- it follows an object loaded from the primary (a related row of `request.user` stays there).

Writes always go to the primary. docs/architecture.md, "Read replica", lists the views that opt in.
"""

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, ParamSpec, TypeVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model

REPLICA = "replica"
FRESH_APPS = frozenset({"accounts", "auth", "axes", "contenttypes", "sessions"})
FRESH_MODELS = frozenset({"core.job"})

P = ParamSpec("P")
R = TypeVar("R")


@dataclass
class _Reading:
    wrote: bool = False


_reading: ContextVar[_Reading | None] = ContextVar("replica_reading", default=None)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


@contextmanager
def replica_reads() -> Iterator[None]:
    """Let the reads inside go to the replica (see the module's rules); nests, and is per thread."""
    token = _reading.set(_reading.get() or _Reading())
    try:
        yield
    finally:
        _reading.reset(token)


def replica_view(view: Callable[P, R]) -> Callable[P, R]:
    """A view whose reads may come from the replica; its template is rendered inside too."""

    @functools.wraps(view)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> R:
        with replica_reads():
            response = view(*args, **kwargs)
            render = getattr(response, "render", None)
            if callable(render) and not getattr(response, "is_rendered", True):
                render()
            return response

    return wrapped


def _fresh_model(model: type[Model]) -> bool:
    meta = model._meta
    return meta.app_label in FRESH_APPS or meta.label_lower in FRESH_MODELS


class ReplicaRouter:
    """Reads inside `replica_reads()` to the replica, under the rules above; all else unrouted."""

    def db_for_read(self, model: type[Model], **hints: Any) -> str | None:
        reading = _reading.get()
        if reading is None or reading.wrote or not replica_configured():
            return None
        instance = hints.get("instance")
        if instance is not None and instance._state.db:
            return str(instance._state.db)
        if _fresh_model(model) or connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return DEFAULT_DB_ALIAS
        return REPLICA

    def db_for_write(self, model: type[Model], **hints: Any) -> str:
        reading = _reading.get()
        if reading is not None:
            reading.wrote = True
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Model, obj2: Model, **hints: Any) -> bool:
        return {obj1._state.db, obj2._state.db} <= {DEFAULT_DB_ALIAS, REPLICA, None}

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool | None:
        return False if db == REPLICA else None
