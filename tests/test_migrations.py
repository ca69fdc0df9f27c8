"""The migrations, applied from zero to a fresh PostgreSQL database, as `make run` and an upgrade
apply them. (The test databases are made from the models, `--nomigrations`; `make lint` checks
that the migrations match the models.)"""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg
import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="migrations are applied once, on PostgreSQL"
)
def test_every_migration_applies_to_an_empty_database_and_loads_the_presets() -> None:
    settings = connection.settings_dict
    server = f"postgres://{settings['USER']}@{settings['HOST']}:{settings['PORT']}"
    name = f"wangge_migrations_{uuid.uuid4().hex[:8]}"
    admin = f"{server.replace('postgres://', 'postgresql://')}/postgres"
    with psycopg.connect(admin, autocommit=True) as db:
        db.execute(f'CREATE DATABASE "{name}"')
    try:
        env = {**os.environ, "DATABASE_URL": f"{server}/{name}"}
        migrate = [sys.executable, "manage.py", "migrate", "--no-input", "-v", "0"]
        subprocess.run(migrate, cwd=ROOT, env=env, check=True, timeout=600)
        check = [sys.executable, "manage.py", "migrate", "--check"]
        assert subprocess.run(check, cwd=ROOT, env=env, timeout=300).returncode == 0
        with psycopg.connect(f"{server.replace('postgres://', 'postgresql://')}/{name}") as db:
            tags = db.execute("SELECT count(*) FROM people_tag").fetchone()
            kinds = db.execute("SELECT count(*) FROM venues_venuekind").fetchone()
        assert tags is not None and tags[0] > 0
        assert kinds == (14,)
    finally:
        with psycopg.connect(admin, autocommit=True) as db:
            db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
