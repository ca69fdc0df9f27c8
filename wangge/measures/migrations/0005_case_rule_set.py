"""The local rule set that gives a case (and its contacts) a measure after Class-B management (乙类乙管, from
2023-01-08) ended national isolation: a street that runs the grid in an outbreak still isolates
its cases. Before that date the national editions apply (新十条: 感染者居家隔离7天). Sources and
defaults in docs/measures.md."""

from datetime import date

from django.db import migrations

NAME = "本地：病例应急处置"
SOURCE = (
    "乙类乙管后街道应急处置的本地预置：确诊和无症状感染者集中隔离收治，疑似病例单人单间隔离待排查，密接集中隔离、"
    "密接的密接居家隔离（按第九版方案）；"
    "天数与检测日为本系统默认，请按当地要求核对"
)
# name, category, colour, applies_to, days, test days, note
TYPES = [
    ("感染者集中隔离收治", "centralised", "red", "case", 10, [7, 9, 10], "确诊病例和无症状感染者"),
    ("疑似病例单人单间隔离", "centralised", "red", "suspected_case", 2, [1, 2], "两次核酸间隔24小时"),
    ("应急：密接7天集中隔离", "centralised", "red", "close_contact", 7, [1, 2, 3, 5, 7], ""),
    ("应急：密接的密接7天居家隔离", "home_isolation", "orange", "contact_of_contact", 7, [1, 4, 7], ""),
]


def create(apps, schema_editor):
    RuleSet = apps.get_model("measures", "RuleSet")
    MeasureType = apps.get_model("measures", "MeasureType")
    rule_set, _ = RuleSet.objects.get_or_create(
        name=NAME,
        defaults={
            "kind": "local",
            "effective_from": date(2023, 1, 8),
            "effective_until": None,
            "source": SOURCE,
            "builtin": True,
        },
    )
    for name, category, colour, applies_to, days, tests, note in TYPES:
        MeasureType.objects.get_or_create(
            rule_set=rule_set,
            name=name,
            defaults={
                "category": category,
                "household_colour": colour,
                "applies_to": applies_to,
                "duration_days": days,
                "test_days": tests,
                "checkin_times": ["08:00", "16:00"],
                "release_needs_negative": True,
                "note": note,
            },
        )


def remove(apps, schema_editor):
    RuleSet = apps.get_model("measures", "RuleSet")
    MeasureType = apps.get_model("measures", "MeasureType")
    MeasureType.objects.filter(rule_set__name=NAME, rule_set__builtin=True).delete()
    RuleSet.objects.filter(name=NAME, builtin=True).delete()


class Migration(migrations.Migration):
    dependencies = [("measures", "0004_cases")]
    operations = [migrations.RunPython(create, remove)]
