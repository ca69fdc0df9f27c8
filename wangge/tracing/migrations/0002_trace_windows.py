from django.db import migrations, models


def windows_of_earlier_runs(apps, schema_editor):
    """A run before per-kind windows used its one window for both kinds of place."""
    Trace = apps.get_model("tracing", "Trace")
    for trace in Trace.objects.filter(windows={}):
        minutes = trace.window_minutes or 30
        trace.windows = {"checkpoint": minutes, "venue": minutes}
        trace.save(update_fields=["windows"])


class Migration(migrations.Migration):
    dependencies = [
        ("tracing", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="trace",
            name="windows",
            field=models.JSONField(default=dict, verbose_name="各类场所的时间窗口（分钟）"),
        ),
        migrations.AlterField(
            model_name="trace",
            name="window_minutes",
            field=models.PositiveSmallIntegerField(
                blank=True,
                help_text="运行时指定的窗口；为空时按场所类别的默认窗口",
                null=True,
                verbose_name="时间窗口（分钟）",
            ),
        ),
        migrations.RunPython(windows_of_earlier_runs, migrations.RunPython.noop),
    ]
