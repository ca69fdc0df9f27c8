"""Venue visits partitioned by day: every visit carries the local day (Asia/Shanghai) of its time,
filled in for the rows already there; on PostgreSQL the table then becomes partitioned by that day
(`core.partitions.partition_table`), every row kept. SQLite keeps a plain table."""

from datetime import timedelta
from zoneinfo import ZoneInfo

from django.apps.registry import Apps
from django.conf import settings
from django.db import connections, migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.models.functions import TruncDate
from django.utils import timezone

import wangge.core.fields
from wangge.core.partitions import Partitioned, partition_table

# As `venues.partitions.VISITS` reads when this migration was written.
VISITS = Partitioned("venues_visit")


def fill_days(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    visit = apps.get_model("venues", "Visit")
    visit.objects.update(day=TruncDate("at", tzinfo=ZoneInfo(settings.TIME_ZONE)))


def partition(apps: Apps, schema_editor: BaseDatabaseSchemaEditor | None) -> None:
    # The tests' replay of the data migrations (conftest.py) passes no schema editor: the test
    # database, made from the models, is then partitioned as a migrated one is.
    connection = schema_editor.connection if schema_editor is not None else connections["default"]
    if connection.vendor != "postgresql":
        return
    today = timezone.localdate()
    keep = timedelta(days=int(settings.WANGGE["RETENTION_VISITS_DAYS"]))
    partition_table(connection, VISITS, today=today, keep_from=today - keep)


class Migration(migrations.Migration):
    dependencies = [("venues", "0004_card_reminder")]

    operations = [
        migrations.AddField(
            model_name="visit",
            name="day",
            field=wangge.core.fields.LocalDayField(null=True, of="at", verbose_name="到访日期"),
        ),
        migrations.RunPython(fill_days, migrations.RunPython.noop, elidable=False),
        migrations.AlterField(
            model_name="visit",
            name="day",
            field=wangge.core.fields.LocalDayField(of="at", verbose_name="到访日期"),
        ),
        migrations.RunPython(partition, elidable=False),
    ]
