"""The backup and its restore drill, run for real: pg_dump of the test database, pg_restore into a
fresh database, every table's rows compared, every model read, the database dropped. They run
pg_dump and pg_restore against the server, so the drills run in the PostgreSQL pass only."""

import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from wangge.accounts.models import User
from wangge.core.backups import backups_prune, counts_compare, counts_path
from wangge.people.models import Person

ROOT = Path(__file__).resolve().parents[1]
postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="runs pg_dump and pg_restore: PostgreSQL only"
)


def _databases() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT datname FROM pg_database")
        return {name for (name,) in cursor.fetchall()}


def _drill(dump: Path) -> tuple[str, str]:
    """Run the drill as an operator does, in a process of its own (it opens a connection of its
    own to the restored database, which the test's database guard would refuse here)."""
    database = connection.settings_dict
    url = (
        f"postgres://{database['USER']}:{database['PASSWORD'] or ''}@{database['HOST']}:"
        f"{database['PORT'] or 5432}/{database['NAME']}"
    )
    env = {key: value for key, value in os.environ.items() if not key.startswith("PYTEST")}
    result = subprocess.run(
        [sys.executable, "manage.py", "restore_drill", str(dump)],
        cwd=ROOT,
        env={**env, "DATABASE_URL": url},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout, re.search(r"wangge_drill_\w+", result.stdout).group(0)


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_whole_into_a_fresh_database_that_is_then_dropped(world, tmp_path):
    # given a backup of the database with the world in it
    call_command("backup_database", "--directory", str(tmp_path), stdout=io.StringIO())
    [dump] = tmp_path.glob("wangge-*.dump")
    counts = json.loads(counts_path(dump).read_text())
    assert dump.stat().st_mode & 0o777 == 0o600
    assert counts["public.accounts_user"] == User.objects.count() > 0
    assert counts["public.people_person"] == Person.objects.count() > 0

    # when the drill restores it
    output, database = _drill(dump)

    # then every table's rows match, every model was read, and the restored database is gone
    assert "every table's rows match the backup" in output
    assert f"{len(counts)} tables" in output
    assert database not in _databases()


def test_the_drill_names_every_table_whose_rows_differ_or_that_one_side_lacks():
    # given the counts of a backup and of its restore, which lost a row, a table, and gained one
    expected = {"public.accounts_user": 9, "public.people_person": 40, "public.core_job": 1}
    actual = {"public.accounts_user": 8, "public.people_person": 40, "public.extra": 0}

    # when they are compared, then each difference is named with both sides
    assert counts_compare(expected, actual) == {
        "public.accounts_user": (9, 8),
        "public.core_job": (1, None),
        "public.extra": (None, 0),
    }
    assert counts_compare(expected, dict(expected)) == {}


def test_the_newest_dumps_are_kept_with_their_counts(tmp_path):
    # given four nights of dumps, each with its counts
    nights = [f"wangge-202612{day:02d}T183000Z" for day in (1, 2, 3, 4)]
    for night in nights:
        (tmp_path / f"{night}.dump").write_bytes(b"PGDMP")
        (tmp_path / f"{night}.counts.json").write_text("{}")

    # when two are kept
    deleted = backups_prune(tmp_path, keep=2)

    # then the two oldest are gone, dump and counts alike
    assert [path.name for path in deleted] == [f"{night}.dump" for night in nights[:2]]
    assert sorted(path.name for path in tmp_path.iterdir()) == [
        f"{night}{suffix}" for night in nights[2:] for suffix in (".counts.json", ".dump")
    ]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the embedded database's refusal")
def test_the_embedded_database_is_not_dumped_with_pg_dump(tmp_path):
    # given the embedded SQLite database, when a backup is asked for, then it is refused and points at the SQLite backup
    with pytest.raises(CommandError, match="SQLite"):
        call_command("backup_database", "--directory", str(tmp_path))
    assert not list(tmp_path.iterdir())
