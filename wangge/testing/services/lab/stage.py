"""The staging tables of a lab import: the parsed rows go into a temporary table (PostgreSQL COPY,
else batched inserts), and the matching, duplicate and correction rules run over it as a few
set-based statements (testing.services.lab.sql). Temporary tables belong to the connection and are dropped
when the import ends.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import connection

from wangge.testing.services.lab.rows import LabRow

STAGE_COLUMNS = (
    ("line", "bigint"),
    ("name", "text"),
    ("id_hash", "text"),
    ("resident", "integer"),
    ("phone_hash", "text"),
    ("identity_key", "text"),
    ("sampled_at", "timestamp"),
    ("tube", "text"),
    ("site", "text"),
    ("result", "text"),
    ("lab", "text"),
    ("reported_at", "timestamp"),
)
TEMP_TABLES = ("lab_final", "lab_keyed", "lab_subject", "lab_rounds", "lab_stage")
_BATCH = 5000


def postgres() -> bool:
    return connection.vendor == "postgresql"


def db_time(value: datetime | None) -> Any:
    """A datetime as the database compares it: itself on PostgreSQL, Django's text on SQLite."""
    if value is None or postgres():
        return value
    return connection.ops.adapt_datetimefield_value(value)


def _type(sql_type: str) -> str:
    if sql_type == "timestamp":
        return "timestamptz" if postgres() else "text"
    return sql_type


def execute(sql: str, params: list[Any] | tuple[Any, ...] = ()) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def fetch(sql: str, params: list[Any] | tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def create_stage() -> None:
    """The temporary tables; on PostgreSQL the transaction gets the import's work_mem."""
    if postgres():
        execute(
            "SELECT set_config('work_mem', %s, true)", [settings.WANGGE["TESTING_IMPORT_WORK_MEM"]]
        )
    drop_all()
    columns = ", ".join(f"{name} {_type(kind)}" for name, kind in STAGE_COLUMNS)
    execute(f"CREATE TEMPORARY TABLE lab_stage ({columns})")
    execute(
        f"CREATE TEMPORARY TABLE lab_rounds (round_id bigint, grid_id bigint, "
        f"starts_at {_type('timestamp')}, ends_at {_type('timestamp')})"
    )


def drop_all() -> None:
    for table in TEMP_TABLES:
        execute(f"DROP TABLE IF EXISTS {table}")


def stage_values(row: LabRow) -> tuple[Any, ...]:
    return (
        row.number,
        row.name,
        row.id_hash,
        1 if row.resident_id else 0,
        row.phone_hash,
        row.identity_key,
        db_time(row.sampled_at),
        row.tube,
        row.site,
        row.result,
        row.lab,
        db_time(row.reported_at),
    )


@contextmanager
def stage_writer() -> Iterator[Any]:
    """`write(LabRow)` into lab_stage: COPY on PostgreSQL, batched inserts elsewhere."""
    names = ", ".join(name for name, _ in STAGE_COLUMNS)
    if postgres():
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(f"COPY lab_stage ({names}) FROM STDIN") as copy,
        ):
            yield lambda row: copy.write_row(stage_values(row))
        execute("ANALYZE lab_stage")
        return
    pending: list[tuple[Any, ...]] = []
    insert = f"INSERT INTO lab_stage ({names}) VALUES ({', '.join(['%s'] * len(STAGE_COLUMNS))})"

    def write(row: LabRow) -> None:
        pending.append(stage_values(row))
        if len(pending) >= _BATCH:
            flush()

    def flush() -> None:
        with connection.cursor() as cursor:
            cursor.executemany(insert, pending)
        pending.clear()

    yield write
    flush()
    for column in ("line", "id_hash", "phone_hash", "identity_key"):
        execute(f"CREATE INDEX lab_stage_{column} ON lab_stage ({column})")


def stage_rounds(rows: list[tuple[int, int, datetime, datetime]]) -> None:
    """The candidate rounds by grid: (round, grid, start, end)."""
    with connection.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO lab_rounds (round_id, grid_id, starts_at, ends_at) VALUES (%s, %s, %s, %s)",
            [(r, g, db_time(s), db_time(e)) for r, g, s, e in rows],
        )
