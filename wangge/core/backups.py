"""PostgreSQL backups and the restore drill (docs/operations.md, "Backups").

    backup_write(directory, keep) -> Path
        pg_dump --format=custom of the default database, taken in a snapshot this process exports
        and holds, and beside it `<name>.counts.json`: every table's rows in that same snapshot.
        The dumps beyond the newest `keep` in the directory are deleted.
    restore_drill(dump, server=None, keep_database=False) -> Drill
        A fresh database on `server` (default: the server of the default database), pg_restore
        of the dump, every table's rows compared with the dump's counts, every model read through
        the ORM and Django's checks run against it (when the rows match); then the database is
        dropped.

The counts are the dump's own, not the live database's (which has moved on since), so a drill of
last week's dump checks last week's rows.
"""

import io
import json
import os
import secrets
import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import dj_database_url
import psycopg
from django.apps import apps
from django.core.management import call_command
from django.db import connection, connections, transaction
from django.utils import timezone

DUMP_GLOB = "wangge-*.dump"
DRILL_ALIAS = "restore_drill"
TABLES = """
    SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
      AND n.nspname NOT LIKE 'pg_toast%'
    ORDER BY 1, 2
"""


class BackupError(Exception):
    pass


@dataclass
class Drill:
    database: str
    tables: int = 0
    rows: int = 0
    models: int = 0
    mismatches: dict[str, tuple[int | None, int | None]] = field(default_factory=dict)
    restore_seconds: float = 0.0
    dropped: bool = False


def counts_path(dump: Path) -> Path:
    return dump.with_name(dump.stem + ".counts.json")


def table_counts(cursor: Any) -> dict[str, int]:
    """Rows of every table ("schema.table"), partitions and partitioned parents alike."""
    cursor.execute(TABLES)
    counts = {}
    for schema, table in cursor.fetchall():
        quoted = f'"{schema}"."{table}"'
        cursor.execute(f"SELECT count(*) FROM {quoted}")
        counts[f"{schema}.{table}"] = cursor.fetchone()[0]
    return counts


def counts_compare(
    expected: dict[str, int], actual: dict[str, int]
) -> dict[str, tuple[int | None, int | None]]:
    """The tables whose rows differ (or that one side lacks): {table: (expected, actual)}."""
    return {
        table: (expected.get(table), actual.get(table))
        for table in sorted(expected.keys() | actual.keys())
        if expected.get(table) != actual.get(table)
    }


def backup_write(directory: Path, keep: int) -> Path:
    _require_postgresql(connection.settings_dict)
    directory.mkdir(parents=True, exist_ok=True)
    dump = directory / f"wangge-{timezone.now():%Y%m%dT%H%M%SZ}.dump"
    partial = dump.with_name(dump.name + ".partial")
    # Sealed fields stay sealed in a dump, but names and addresses do not: owner-only files.
    os.close(os.open(partial, os.O_CREAT | os.O_WRONLY, 0o600))
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            _run(
                ["pg_dump", "--format=custom", f"--snapshot={snapshot}", f"--file={partial}"],
                connection.settings_dict,
            )
            counts = table_counts(cursor)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    counts_path(dump).write_text(json.dumps(counts, indent=1, sort_keys=True))
    counts_path(dump).chmod(0o600)
    partial.rename(dump)
    backups_prune(directory, keep)
    return dump


def backups_prune(directory: Path, keep: int) -> list[Path]:
    """Delete the dumps (and their counts) older than the newest `keep`; the deleted dumps."""
    dumps = sorted(directory.glob(DUMP_GLOB))
    old = dumps[: max(0, len(dumps) - keep)]
    for dump in old:
        dump.unlink()
        counts_path(dump).unlink(missing_ok=True)
    return old


def restore_drill(dump: Path, server: str | None = None, keep_database: bool = False) -> Drill:
    expected = json.loads(counts_path(dump).read_text())
    params = {**connection.settings_dict, **(dj_database_url.parse(server) if server else {})}
    _require_postgresql(params)
    drill = Drill(database=f"wangge_drill_{timezone.now():%Y%m%d%H%M%S}_{secrets.token_hex(3)}")
    with psycopg.connect(_conninfo(params, "postgres"), autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{drill.database}"')
        try:
            started = time.monotonic()
            _run(
                [
                    "pg_restore",
                    "--no-owner",
                    "--no-privileges",
                    "--exit-on-error",
                    "--single-transaction",
                    f"--dbname={drill.database}",
                    str(dump),
                ],
                params,
            )
            drill.restore_seconds = time.monotonic() - started
            with psycopg.connect(_conninfo(params, drill.database)) as restored:
                actual = table_counts(restored.cursor())
            drill.mismatches = counts_compare(expected, actual)
            drill.tables, drill.rows = len(actual), sum(actual.values())
            if not drill.mismatches:
                with _database({**params, "NAME": drill.database}):
                    drill.models = _read_every_model()
                    call_command("check", databases=[DRILL_ALIAS], stdout=io.StringIO())
        finally:
            if not keep_database:
                admin.execute(f'DROP DATABASE "{drill.database}" WITH (FORCE)')
                drill.dropped = True
    return drill


def _read_every_model() -> int:
    """Read one row of every model's table from the restored database, every column."""
    models = [m for m in apps.get_models() if m._meta.managed and not m._meta.proxy]
    for model in models:
        list(model._base_manager.using(DRILL_ALIAS).all()[:1])
    return len(models)


@contextmanager
def _database(params: dict[str, Any]) -> Iterator[Any]:
    """The restored database as the connection DRILL_ALIAS, for the ORM and the checks."""
    connections.settings[DRILL_ALIAS] = params
    try:
        yield connections[DRILL_ALIAS]
    finally:
        connections[DRILL_ALIAS].close()
        del connections[DRILL_ALIAS]
        del connections.settings[DRILL_ALIAS]


def _require_postgresql(params: dict[str, Any]) -> None:
    if "postgresql" not in params["ENGINE"]:
        raise BackupError(
            "只能备份PostgreSQL数据库；内置SQLite数据库见docs/operations.md / only a PostgreSQL "
            "database is backed up here; for the embedded SQLite file see docs/operations.md"
        )


def _libpq_environment(params: dict[str, Any]) -> dict[str, str]:
    """The connection as libpq's variables: no password on a command line."""
    values = {
        "PGHOST": params.get("HOST") or "",
        "PGPORT": str(params.get("PORT") or ""),
        "PGUSER": params.get("USER") or "",
        "PGPASSWORD": params.get("PASSWORD") or "",
        "PGDATABASE": params.get("NAME") or "",
        "PGSSLMODE": (params.get("OPTIONS") or {}).get("sslmode", ""),
    }
    return {key: value for key, value in values.items() if value}


def _conninfo(params: dict[str, Any], database: str) -> str:
    names = {"PGHOST": "host", "PGPORT": "port", "PGUSER": "user", "PGPASSWORD": "password"}
    environment = _libpq_environment(params)
    given = {names[key]: value for key, value in environment.items() if key in names}
    return psycopg.conninfo.make_conninfo(dbname=database, **given)


def _run(command: list[str], params: dict[str, Any]) -> None:
    if shutil.which(command[0]) is None:
        raise BackupError(
            f"找不到{command[0]} / {command[0]} not found (apt-get install postgresql-client)"
        )
    env = {**os.environ, **_libpq_environment(params)}
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{command[0]}: {result.stderr.strip()}")
