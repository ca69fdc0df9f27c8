"""Scans partitioned by day, step two: a replay is the same client id on the same day, and on
PostgreSQL the scan table becomes partitioned by that day (`core.partitions.partition_table`),
every row kept; reasons and door openings then point at (id, day). SQLite keeps a plain table;
Django's model state is the same on both (the primary key it knows is `id`)."""

from datetime import timedelta

from django.apps.registry import Apps
from django.conf import settings
from django.db import connections, migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.utils import timezone

import wangge.core.fields
from wangge.core.partitions import Child, Partitioned, partition_table

# As `checkpoints.partitions.SCANS` reads when this migration was written.
SCANS = Partitioned(
    "checkpoints_scan",
    children=(
        Child("checkpoints_scanreason", "scan_id", "scan_day", "checkpoints_scanreason_scan_fk"),
        Child("checkpoints_dooropening", "scan_id", "scan_day", "checkpoints_dooropening_scan_fk"),
    ),
)


def partition(apps: Apps, schema_editor: BaseDatabaseSchemaEditor | None) -> None:
    # The tests' replay of the data migrations (conftest.py) passes no schema editor: the test
    # database, made from the models, is then partitioned as a migrated one is.
    connection = schema_editor.connection if schema_editor is not None else connections["default"]
    if connection.vendor != "postgresql":
        return
    today = timezone.localdate()
    keep = timedelta(days=int(settings.WANGGE["RETENTION_SCANS_DAYS"]))
    partition_table(connection, SCANS, today=today, keep_from=today - keep)


class Migration(migrations.Migration):
    dependencies = [("checkpoints", "0005_scan_day")]

    operations = [
        migrations.AlterField(
            model_name="scan",
            name="day",
            field=wangge.core.fields.LocalDayField(of="scanned_at", verbose_name="扫码日期"),
        ),
        migrations.AlterField(
            model_name="scanreason",
            name="scan_day",
            field=wangge.core.fields.LocalDayField(of="scan.day"),
        ),
        migrations.AlterField(
            model_name="scan",
            name="client_id",
            field=models.CharField(max_length=64),
        ),
        migrations.AddConstraint(
            model_name="scan",
            constraint=models.UniqueConstraint(
                fields=("client_id", "day"), name="scan_client_id_once"
            ),
        ),
        migrations.AddIndex(
            model_name="scanreason",
            index=models.Index(fields=["scan_day"], name="scan_reason_day"),
        ),
        migrations.AddIndex(
            model_name="dooropening",
            index=models.Index(fields=["scan_day"], name="door_opening_scan_day"),
        ),
        migrations.RunPython(partition, elidable=False),
    ]
