"""Inserting many rows with one prepared statement (executemany; COPY on PostgreSQL).

Django's bulk_create prepares every value through the field API and compiles one statement per 33
persons on SQLite (its 999-variable limit): about 175 µs a person, more than reading, checking and
matching the row together. A roster import inserts tens of thousands of persons at once, so the
writer builds the rows itself and hands them to executemany (about 20 µs a person), or on PostgreSQL
to COPY, its bulk-load path; values that need the database's own form (dates, times, JSON) still go
through the field's get_db_prep_save.
Figures: docs/performance.md, "Roster import".
"""

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.db import connection, models
from django.db.models import F, QuerySet
from django.utils import timezone

_PREPARED = (models.DateField, models.JSONField)  # DateTimeField is a DateField


def insert_columns(model: type[models.Model]) -> list[models.Field]:
    return [field for field in model._meta.concrete_fields if not field.primary_key]


def defaults(model: type[models.Model]) -> dict[str, Any]:
    """attname → the value a new row gets when the importer says nothing (auto times: now)."""
    now = timezone.now()
    values: dict[str, Any] = {}
    for field in insert_columns(model):
        auto = getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
        values[field.attname] = now if auto else field.get_default()
    return values


class _Prepared:
    """A field's get_db_prep_save, remembered per value (100,000 birth dates hold ~30,000 days)."""

    def __init__(self, field: models.Field) -> None:
        self.field = field
        self.seen: dict[Any, Any] = {}

    def __call__(self, value: Any) -> Any:
        try:
            return self.seen[value]
        except KeyError:
            prepared = self.seen[value] = self.field.get_db_prep_save(value, connection)
            return prepared
        except TypeError:  # unhashable (JSON)
            return self.field.get_db_prep_save(value, connection)


def insert(model: type[models.Model], rows: Iterable[dict[str, Any]], base: dict[str, Any]) -> int:
    """Insert rows given as {attname: value} over `base` (see defaults()); returns the count."""
    fields = insert_columns(model)
    prepare: list[Callable[[Any], Any] | None] = [
        _Prepared(field) if isinstance(field, _PREPARED) else None for field in fields
    ]
    names = [field.attname for field in fields]
    prepared_base = [
        base[name] if convert is None else convert(base[name])
        for name, convert in zip(names, prepare, strict=True)
    ]
    position_of = {name: position for position, name in enumerate(names)}
    values: list[Sequence[Any]] = []
    for row in rows:
        line = list(prepared_base)
        for name, value in row.items():
            position = position_of[name]
            convert = prepare[position]
            line[position] = value if convert is None else convert(value)
        values.append(line)
    if not values:
        return 0
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = ", ".join(quote(field.column) for field in fields)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for written in values:
                    copy.write_row(written)
        else:
            placeholders = ", ".join(["%s"] * len(fields))
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", values)
    return len(values)


def insert_select(model: type[models.Model], values: dict[str, Any], **source: QuerySet) -> None:
    """INSERT … SELECT: one row in `model` per row of a queryset, in one statement.

    `source` names the one column filled from the queryset's primary keys; `values` gives the
    others, the same for every row (e.g. one import record per person an import created).
    """
    (column, queryset), *_ = source.items()
    fields = {field.attname: field for field in insert_columns(model)}
    selected = queryset.order_by().values(source_pk=F("pk"))
    inner, params = selected.query.sql_with_params()
    names = [*values, column]
    quote = connection.ops.quote_name
    constants = [fields[name].get_db_prep_save(value, connection) for name, value in values.items()]
    sql = (
        f"INSERT INTO {quote(model._meta.db_table)} "
        f"({', '.join(quote(fields[name].column) for name in names)}) "
        f"SELECT {', '.join(['%s'] * len(values))}, selected.source_pk FROM ({inner}) AS selected"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*constants, *params])
