"""Reads on a hot path built with the ORM and turned into SQL once per process.

Building and compiling a query costs the ORM 0.3–2 ms of CPU, more than PostgreSQL takes to run an
indexed lookup; the checkpoint scan makes the same two lookups thousands of times a minute. A
`CompiledRead` builds its query once, from sample values, and keeps the SQL; each call then only
binds the new values and runs it. The query stays written in the ORM, next to the rules it shares
with every other read — nothing is written twice in SQL.

The sample values are unlikely constants (a date in 1901, a marked string); every parameter of the
compiled SQL equal to a sample, as the database backend adapts it, is bound to that input on each
call, and every input must be found at least once — else building fails at once, never silently.
Rows come back as dicts keyed by the names of the `values_list` the builder ends with, converted
as the ORM converts them (a datetime is a datetime on SQLite too): load instances from them with
`Model.from_db` where a model instance is needed.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from django.db import connections
from django.db.models import QuerySet

_SAMPLE_DATETIME = datetime(1901, 2, 3, 4, 5, 6, 789012, tzinfo=UTC)
_SAMPLE_DATE = date(1901, 3, 5)
_SAMPLE_TEXT = "\u2063sample:{name}\u2063"


class CompiledRead:
    """`build(**inputs)` returns a QuerySet ending in `values_list(...)`; `inputs` name each
    input's type (str, int, datetime or date). Compiled on first use, per database alias."""

    def __init__(self, build: Callable[..., QuerySet], **inputs: type) -> None:
        self.build = build
        self.inputs = inputs
        self._compiled: dict[str, _Compiled] = {}

    def _sample(self, name: str, kind: type, index: int) -> Any:
        if kind is str:
            return _SAMPLE_TEXT.format(name=name)
        if kind is int:
            return -987_654_321 - index
        if kind is datetime:
            return _SAMPLE_DATETIME.replace(microsecond=789012 - index)
        if kind is date:
            return _SAMPLE_DATE.replace(day=5 + index)
        raise TypeError(f"{name}: inputs are str, int, datetime or date, not {kind.__name__}")

    def _adapt(self, value: Any, kind: type, using: str) -> Any:
        operations = connections[using].ops
        if kind is datetime:
            return operations.adapt_datetimefield_value(value)
        if kind is date:
            return operations.adapt_datefield_value(value)
        return value

    def _compile(self, using: str) -> "_Compiled":
        samples = {
            name: self._sample(name, kind, index)
            for index, (name, kind) in enumerate(self.inputs.items())
        }
        compiler = self.build(**samples).query.get_compiler(using)
        sql, params = compiler.as_sql()
        selected = [expression for expression, _, _ in compiler.select[: compiler.col_count]]
        converters = compiler.get_converters(selected)
        adapted = {
            name: self._adapt(value, self.inputs[name], using) for name, value in samples.items()
        }
        slots: list[tuple[str | None, Any]] = []
        for param in params:
            named = [name for name, value in adapted.items() if param == value]
            slots.append((named[0], None) if named else (None, param))
        missing = set(self.inputs) - {name for name, _ in slots if name}
        if missing:
            raise ValueError(f"{self.build.__name__}: inputs not found in the SQL: {missing}")
        return _Compiled(sql, slots, converters)

    def first(self, using: str = "default", **values: Any) -> dict[str, Any] | None:
        """The first row for these input values, or None."""
        compiled = self._compiled.get(using)
        if compiled is None:
            compiled = self._compiled[using] = self._compile(using)
        params = [
            self._adapt(values[name], self.inputs[name], using) if name else constant
            for name, constant in compiled.slots
        ]
        connection = connections[using]
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            row = cursor.fetchone()
            if row is None:
                return None
            columns = [column[0] for column in cursor.description]
        converted = list(row)
        for index, (functions, expression) in compiled.converters.items():
            for function in functions:
                converted[index] = function(converted[index], expression, connection)
        return dict(zip(columns, converted, strict=True))


@dataclass(frozen=True)
class _Compiled:
    sql: str
    slots: list[tuple[str | None, Any]]  # per parameter: the input bound there, or a constant
    converters: dict[int, tuple[list[Callable[..., Any]], Any]]
