"""Scans partitioned by day, step one: every scan, reason and door opening carries the scan's
local day (Asia/Shanghai) of the time the phone recorded, filled in for the rows already there."""

from zoneinfo import ZoneInfo

from django.apps.registry import Apps
from django.conf import settings
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.models import OuterRef, Subquery
from django.db.models.functions import TruncDate

import wangge.core.fields


def fill_days(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    scan = apps.get_model("checkpoints", "Scan")
    scan.objects.update(day=TruncDate("scanned_at", tzinfo=ZoneInfo(settings.TIME_ZONE)))
    day = Subquery(scan.objects.filter(pk=OuterRef("scan_id")).values("day")[:1])
    apps.get_model("checkpoints", "ScanReason").objects.update(scan_day=day)
    openings = apps.get_model("checkpoints", "DoorOpening").objects
    openings.filter(scan__isnull=False).update(scan_day=day)


class Migration(migrations.Migration):
    dependencies = [("checkpoints", "0004_volunteers_from_teams")]

    operations = [
        migrations.AddField(
            model_name="scan",
            name="day",
            field=wangge.core.fields.LocalDayField(
                null=True, of="scanned_at", verbose_name="扫码日期"
            ),
        ),
        migrations.AddField(
            model_name="scanreason",
            name="scan_day",
            field=wangge.core.fields.LocalDayField(null=True, of="scan.day"),
        ),
        migrations.AddField(
            model_name="dooropening",
            name="scan_day",
            field=wangge.core.fields.LocalDayField(blank=True, null=True, of="scan.day"),
        ),
        migrations.RunPython(fill_days, migrations.RunPython.noop, elidable=False),
    ]
