"""A covering index (id) INCLUDE (household_id) on persons, PostgreSQL only.

Rows that reach their area through a person (measures, results, scans of a resident) are scoped
by joining person → household → grid. Over a district of 2,000,000 persons the planner either
hashes the whole person table or probes the table's heap once per row; with this index each probe
is an index-only read of a 60 MB index that stays in memory (docs/performance.md, "A district on
PostgreSQL"). SQLite has no INCLUDE: nothing is created there. Built CONCURRENTLY, so writes go on
while a large register is indexed.
"""

from django.db import connection as default_connection
from django.db import migrations

NAME = "person_id_household_cover"


def _execute(schema_editor, sql: str) -> None:
    """On PostgreSQL only; CONCURRENTLY unless inside a transaction (the tests replay this step
    without a schema editor, on a test database made from the models)."""
    connection = schema_editor.connection if schema_editor is not None else default_connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(sql.format("" if connection.in_atomic_block else "CONCURRENTLY "))


def create(apps, schema_editor):
    _execute(schema_editor, "CREATE INDEX {}IF NOT EXISTS " + NAME + " ON people_person (id) INCLUDE (household_id)")


def drop(apps, schema_editor):
    _execute(schema_editor, "DROP INDEX {}IF EXISTS " + NAME)


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("people", "0010_assignment_people_power_duties")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
