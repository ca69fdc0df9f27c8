"""A covering index (id) INCLUDE (grid_id) on households, PostgreSQL only: the second hop of
person → household → grid, read index-only (see people 0011 and docs/performance.md, "A district
on PostgreSQL"). SQLite has no INCLUDE: nothing is created there. Built CONCURRENTLY."""

from django.db import connection as default_connection
from django.db import migrations

NAME = "household_id_grid_cover"


def _execute(schema_editor, sql: str) -> None:
    """On PostgreSQL only; CONCURRENTLY unless inside a transaction (the tests replay this step
    without a schema editor, on a test database made from the models)."""
    connection = schema_editor.connection if schema_editor is not None else default_connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(sql.format("" if connection.in_atomic_block else "CONCURRENTLY "))


def create(apps, schema_editor):
    _execute(schema_editor, "CREATE INDEX {}IF NOT EXISTS " + NAME + " ON regions_household (id) INCLUDE (grid_id)")


def drop(apps, schema_editor):
    _execute(schema_editor, "DROP INDEX {}IF EXISTS " + NAME)


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("regions", "0005_natural_order")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
