"""The database settings the environment asks for: a pool per process, a replica alias.

Settings are read once per process, so each case reads them in a fresh interpreter.
"""

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[3]
PRIMARY = "postgres://wangge@db.example:5432/wangge"
REPLICA = "postgres://wangge@replica.example:5432/wangge"


def _databases(tmp_path: Path, **environment: str) -> dict[str, Any]:
    code = "import json, wangge.settings as s; print(json.dumps(s.DATABASES, default=str))"
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DATABASE_", "WANGGE_DB_"))
    }
    env |= {"WANGGE_VAR_DIR": str(tmp_path), "DATABASE_URL": PRIMARY, **environment}
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout)


def test_without_a_pool_each_thread_keeps_its_connection(tmp_path):
    databases = _databases(tmp_path)

    assert databases["default"]["CONN_MAX_AGE"] == 60
    assert "pool" not in databases["default"].get("OPTIONS", {})
    assert "replica" not in databases


def test_a_pool_of_the_asked_size_on_every_postgresql_alias_without_persistent_connections(
    tmp_path,
):
    databases = _databases(
        tmp_path,
        WANGGE_DB_POOL_MIN="2",
        WANGGE_DB_POOL_MAX="8",
        DATABASE_REPLICA_URL=REPLICA,
    )

    for alias in ("default", "replica"):
        assert databases[alias]["CONN_MAX_AGE"] == 0
        assert databases[alias]["OPTIONS"]["pool"] == {
            "min_size": 2,
            "max_size": 8,
            "timeout": 10.0,
        }


def test_the_replica_alias_mirrors_the_primary_in_tests(tmp_path):
    databases = _databases(tmp_path, DATABASE_REPLICA_URL=REPLICA)

    assert databases["replica"]["HOST"] == "replica.example"
    assert databases["replica"]["TEST"] == {"MIRROR": "default"}
