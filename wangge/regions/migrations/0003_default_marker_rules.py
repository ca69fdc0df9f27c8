from django.db import migrations, models

# Seed 003: 党旗 for party members, a star for building leaders, a mark for party group leaders
# (the public ones: whom residents may turn to), a red heart for the residents who need care.
DEFAULT_RULES = [
    ("party_member", "flag", True),
    ("building_leader", "star", True),
    ("party_group_leader", "group_leader", True),
    ("low_income", "heart", False),
    ("living_alone", "heart", False),
    ("empty_nest", "heart", False),
    ("disabled", "heart", False),
    ("serious_illness", "heart", False),
]


def create_rules(apps, schema_editor):
    Tag = apps.get_model("people", "Tag")
    MarkerRule = apps.get_model("regions", "MarkerRule")
    tags = {tag.code: tag for tag in Tag.objects.filter(code__in=[code for code, _, _ in DEFAULT_RULES])}
    for code, marker, public in DEFAULT_RULES:
        tag = tags.get(code)
        if tag is not None:
            MarkerRule.objects.get_or_create(tag=tag, defaults={"marker": marker, "public": public})


def colour_inhabited_households(apps, schema_editor):
    """Households with a member at home start green; measures are applied by `recompute_colours`."""
    Household = apps.get_model("regions", "Household")
    Person = apps.get_model("people", "Person")
    at_home = Person.objects.filter(household=models.OuterRef("pk"), status="present")
    Household.objects.filter(models.Exists(at_home)).update(colour="green")


class Migration(migrations.Migration):
    dependencies = [
        ("regions", "0002_colours_zones"),
        ("people", "0003_builtin_tags"),
    ]
    operations = [
        migrations.RunPython(create_rules, migrations.RunPython.noop),
        migrations.RunPython(colour_inhabited_households, migrations.RunPython.noop),
    ]
