"""The round, result and site models take names pytest does not collect as test classes.

Tables follow the model names; columns, indexes and constraints keep theirs. Django renames
the content types itself; audit entries name their target by label, so those follow here.
"""

from django.db import migrations

LABELS = {
    "testing.testround": "testing.nucleicround",
    "testing.testsite": "testing.samplingsite",
    "testing.testresult": "testing.labresult",
}


def _relabel(apps, mapping):
    entries = apps.get_model("core", "AuditEntry").objects
    for old, new in mapping.items():
        entries.filter(target_type=old).update(target_type=new)


def forwards(apps, schema_editor):
    _relabel(apps, LABELS)


def backwards(apps, schema_editor):
    _relabel(apps, {new: old for old, new in LABELS.items()})


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_job"),
        ("measures", "0004_cases"),
        ("testing", "0002_result_import_job"),
    ]

    operations = [
        migrations.RenameModel(old_name="TestRound", new_name="NucleicRound"),
        migrations.RenameModel(old_name="TestSite", new_name="SamplingSite"),
        migrations.RenameModel(old_name="TestResult", new_name="LabResult"),
        migrations.RunPython(forwards, backwards),
    ]
