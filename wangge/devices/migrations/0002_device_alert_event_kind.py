"""Preset: the command-centre event kind that device intrusion alerts raise."""

from django.db import migrations


def add_kind(apps, schema_editor):
    EventKind = apps.get_model("command", "EventKind")
    EventKind.objects.get_or_create(
        code="device_alert", defaults={"name": "居家设备报警", "builtin": True}
    )


def remove_kind(apps, schema_editor):
    apps.get_model("command", "EventKind").objects.filter(code="device_alert").delete()


class Migration(migrations.Migration):
    dependencies = [("devices", "0001_devices"), ("command", "0002_presets")]

    operations = [migrations.RunPython(add_kind, remove_kind)]
