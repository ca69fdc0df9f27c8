"""Tables partitioned by day on PostgreSQL (declarative partitioning, RANGE on a `day` column);
SQLite keeps them as plain tables and nothing here runs there.

A partitioned table holds one partition per local day (`<table>_p20261208`) and a DEFAULT
partition, so that a row of an unexpected day (a phone's clock far behind, a maintenance run
missed for a week) is stored rather than refused. Partitions are made ahead, for yesterday to
DAYS_AHEAD days on, by every `migrate` and by a daily task; retention drops the partitions of
whole past days instead of deleting their rows, and deletes by row only what sits in the DEFAULT
partition.

PostgreSQL wants every unique key of a partitioned table to hold the partition column, so the
primary key is (id, day) in the database; Django's model keeps `id` as its primary key (ids come
from the one identity sequence, so they stay unique). A table whose rows others reference lists
those tables as `children`: each child carries the day of the row it points to, and its foreign
key is the composite (fk, fk_day) → (id, day), with the same ON DELETE CASCADE. Dropping a day
first deletes the children's rows of that day, then detaches and drops the partition.
docs/architecture.md ("Partitioned tables") says which tables are partitioned and why.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.utils import CursorWrapper

DAYS_AHEAD = 7
DEFAULT_SUFFIX = "_default"


@dataclass(frozen=True)
class Child:
    """A table whose foreign key `column` points at a partitioned table, with the day beside it."""

    table: str
    column: str
    day_column: str
    constraint: str


@dataclass(frozen=True)
class Partitioned:
    table: str
    children: tuple[Child, ...] = ()
    column: str = "day"


_REGISTRY: dict[str, Partitioned] = {}


def register(spec: Partitioned) -> None:
    """Declared by the owning app's `ready()`; the daily task and `migrate` make partitions ahead
    for every registered table that is partitioned in the database."""
    _REGISTRY[spec.table] = spec


def registered() -> list[Partitioned]:
    return list(_REGISTRY.values())


def partition_name(table: str, day: date) -> str:
    return f"{table}_p{day:%Y%m%d}"


def is_partitioned(connection: BaseDatabaseWrapper, table: str) -> bool:
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT relkind FROM pg_class WHERE oid = to_regclass(%s)", [table])
        row = cursor.fetchone()
    return row is not None and row[0] == "p"


def _quote(connection: BaseDatabaseWrapper, name: str) -> str:
    return connection.ops.quote_name(name)


def _partitions(cursor: CursorWrapper, table: str) -> dict[date, str]:
    """The daily partitions of `table`, by their first day."""
    cursor.execute(
        "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
        "WHERE i.inhparent = to_regclass(%s)",
        [table],
    )
    prefix = f"{table}_p"
    days = {}
    for (name,) in cursor.fetchall():
        if name.startswith(prefix):
            stamp = name[len(prefix) :]
            days[date(int(stamp[:4]), int(stamp[4:6]), int(stamp[6:]))] = name
    return days


def _create(
    connection: BaseDatabaseWrapper, cursor: CursorWrapper, spec: Partitioned, day: date
) -> bool:
    """Make the partition of `day`, unless the DEFAULT partition already holds rows of that day
    (PostgreSQL would refuse to attach it; those rows stay where they are, still found)."""
    default = _quote(connection, spec.table + DEFAULT_SUFFIX)
    column = _quote(connection, spec.column)
    cursor.execute(f"SELECT 1 FROM {default} WHERE {column} = %s LIMIT 1", [day])
    if cursor.fetchone() is not None:
        return False
    cursor.execute(
        f"CREATE TABLE IF NOT EXISTS {_quote(connection, partition_name(spec.table, day))} "
        f"PARTITION OF {_quote(connection, spec.table)} FOR VALUES FROM (%s) TO (%s)",
        [day, day + timedelta(days=1)],
    )
    return True


def partitions_ensure(connection: BaseDatabaseWrapper, spec: Partitioned, today: date) -> int:
    """Make the partitions of yesterday to DAYS_AHEAD days on that are missing; how many."""
    if not is_partitioned(connection, spec.table):
        return 0
    made = 0
    with connection.cursor() as cursor:
        existing = _partitions(cursor, spec.table)
        for offset in range(-1, DAYS_AHEAD + 1):
            day = today + timedelta(days=offset)
            if day not in existing:
                made += _create(connection, cursor, spec, day)
    return made


def partitions_drop_before(connection: BaseDatabaseWrapper, spec: Partitioned, day: date) -> int:
    """Retention: drop every daily partition wholly before `day`, and delete the DEFAULT
    partition's rows before it; the children's rows of those days are deleted first (their
    composite foreign key would refuse the detach). The number of rows removed."""
    table = _quote(connection, spec.table)
    column = _quote(connection, spec.column)
    removed = 0
    with connection.cursor() as cursor:
        # PostgreSQL will not drop a table with deferred checks still pending in this transaction.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for child in spec.children:
            cursor.execute(
                f"DELETE FROM {_quote(connection, child.table)} "
                f"WHERE {_quote(connection, child.day_column)} < %s",
                [day],
            )
        for first, name in sorted(_partitions(cursor, spec.table).items()):
            if first >= day:
                continue
            partition = _quote(connection, name)
            cursor.execute(f"SELECT count(*) FROM {partition}")
            removed += cursor.fetchone()[0]
            cursor.execute(f"ALTER TABLE {table} DETACH PARTITION {partition}")
            cursor.execute(f"DROP TABLE {partition}")
        default = _quote(connection, spec.table + DEFAULT_SUFFIX)
        cursor.execute(f"DELETE FROM {default} WHERE {column} < %s", [day])
        removed += cursor.rowcount
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    return removed


def _definitions(cursor: CursorWrapper, table: str) -> tuple[list[str], list[str]]:
    """What to make again on the partitioned table: its indexes (those not behind a constraint)
    and its constraints (check, unique, foreign key; the primary key is made anew)."""
    cursor.execute(
        "SELECT pg_get_indexdef(i.indexrelid) FROM pg_index i WHERE i.indrelid = to_regclass(%s) "
        "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid) "
        "ORDER BY i.indexrelid",
        [table],
    )
    indexes = [row[0] for row in cursor.fetchall()]
    cursor.execute(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = to_regclass(%s) AND contype IN ('c', 'u', 'f') ORDER BY contype, conname",
        [table],
    )
    constraints = [
        f'ADD CONSTRAINT "{name}" {definition}' for name, definition in cursor.fetchall()
    ]
    return indexes, constraints


def partition_table(
    connection: BaseDatabaseWrapper, spec: Partitioned, *, today: date, keep_from: date
) -> None:
    """Turn the plain table into a partitioned one, every row kept: a partition for each day
    from `keep_from` that holds rows and for yesterday to DAYS_AHEAD days on, the older rows in
    the DEFAULT partition (retention removes them). Runs inside the migration's transaction; a
    table already partitioned is left as it is."""
    if is_partitioned(connection, spec.table):
        return
    table, column = spec.table, spec.column
    new = f"{table}__partitioned"
    q = connection.ops.quote_name
    with connection.cursor() as cursor:
        for child in spec.children:
            cursor.execute(
                "SELECT conname FROM pg_constraint WHERE contype = 'f' "
                "AND conrelid = to_regclass(%s) AND confrelid = to_regclass(%s)",
                [child.table, table],
            )
            for (name,) in cursor.fetchall():
                cursor.execute(f"ALTER TABLE {q(child.table)} DROP CONSTRAINT {q(name)}")
        indexes, constraints = _definitions(cursor, table)
        cursor.execute(
            f"CREATE TABLE {q(new)} (LIKE {q(table)} INCLUDING DEFAULTS INCLUDING IDENTITY) "
            f"PARTITION BY RANGE ({q(column)})"
        )
        cursor.execute(f"CREATE TABLE {q(new + DEFAULT_SUFFIX)} PARTITION OF {q(new)} DEFAULT")
        cursor.execute(
            f"SELECT DISTINCT {q(column)} FROM {q(table)} WHERE {q(column)} >= %s", [keep_from]
        )
        days = {row[0] for row in cursor.fetchall()}
        days |= {today + timedelta(days=offset) for offset in range(-1, DAYS_AHEAD + 1)}
        for day in sorted(days):
            cursor.execute(
                f"CREATE TABLE {q(partition_name(table, day))} PARTITION OF {q(new)} "
                "FOR VALUES FROM (%s) TO (%s)",
                [day, day + timedelta(days=1)],
            )
        cursor.execute(f"INSERT INTO {q(new)} SELECT * FROM {q(table)}")
        cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [new])
        sequence = cursor.fetchone()[0]
        cursor.execute(
            f"SELECT setval(%s, coalesce((SELECT max(id) FROM {q(new)}), 0) + 1, false)",
            [sequence],
        )
        cursor.execute(f"DROP TABLE {q(table)}")
        cursor.execute(f"ALTER TABLE {q(new)} RENAME TO {q(table)}")
        cursor.execute(
            f"ALTER TABLE {q(new + DEFAULT_SUFFIX)} RENAME TO {q(table + DEFAULT_SUFFIX)}"
        )
        cursor.execute(f"ALTER SEQUENCE {sequence} RENAME TO {q(table + '_id_seq')}")
        cursor.execute(
            f"ALTER TABLE {q(table)} ADD CONSTRAINT {q(table + '_pkey')} "
            f"PRIMARY KEY (id, {q(column)})"
        )
        for statement in _statements(table, indexes, constraints):
            cursor.execute(statement)
        for child in spec.children:
            cursor.execute(
                f"ALTER TABLE {q(child.table)} ADD CONSTRAINT {q(child.constraint)} "
                f"FOREIGN KEY ({q(child.column)}, {q(child.day_column)}) "
                f"REFERENCES {q(table)} (id, {q(column)}) MATCH FULL ON DELETE CASCADE "
                "DEFERRABLE INITIALLY DEFERRED"
            )


def _statements(table: str, indexes: Iterable[str], constraints: Iterable[str]) -> list[str]:
    return [*indexes, *(f'ALTER TABLE "{table}" {constraint}' for constraint in constraints)]


def partitions_ensure_all(connection: BaseDatabaseWrapper, today: date) -> int:
    """Every registered table: the partitions of yesterday to DAYS_AHEAD days on; how many made."""
    return sum(partitions_ensure(connection, spec, today) for spec in registered())
