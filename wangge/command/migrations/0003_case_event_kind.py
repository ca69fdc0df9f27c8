"""The event kind a reported case raises in the command centre (measures.services.case_report)."""

from django.db import migrations


def add(apps, schema_editor):
    apps.get_model("command", "EventKind").objects.get_or_create(
        code="case", defaults={"name": "新增病例", "builtin": True}
    )


def remove(apps, schema_editor):
    apps.get_model("command", "EventKind").objects.filter(code="case", builtin=True).delete()


class Migration(migrations.Migration):
    dependencies = [("command", "0002_presets")]
    operations = [migrations.RunPython(add, remove)]
