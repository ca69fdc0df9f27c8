from django.db import migrations

BUILTIN_TAGS = [
    ("party_member", "党员", False),
    ("building_leader", "楼栋长", False),
    ("party_group_leader", "党小组长", False),
    ("low_income", "低保", True),
    ("living_alone", "独居老人", True),
    ("empty_nest", "空巢老人", True),
    ("disabled", "残疾", True),
    ("pregnant", "孕产期", True),
    ("nursing", "哺乳期", True),
    ("serious_illness", "重病", True),
]


def create_tags(apps, schema_editor):
    Tag = apps.get_model("people", "Tag")
    for code, name, sensitive in BUILTIN_TAGS:
        Tag.objects.update_or_create(code=code, defaults={"name": name, "builtin": True, "sensitive": sensitive})


class Migration(migrations.Migration):
    dependencies = [("people", "0002_initial")]
    operations = [migrations.RunPython(create_tags, migrations.RunPython.noop)]
