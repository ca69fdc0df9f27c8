"""Duty rosters take their volunteers from the teams, step one: every checkpoint volunteer becomes
a member of its community's team 卡点志愿者 (teams.moving) and each shift assignment gets the
member beside its volunteer. (Step two, 0004, drops the volunteers; the steps are two migrations
because PostgreSQL alters no table with row changes pending in the same transaction.)"""

import django.db.models.deletion
from django.db import migrations, models

from wangge.teams.moving import volunteers_to_members


def move(apps, schema_editor):
    try:
        volunteer_model = apps.get_model("checkpoints", "Volunteer")
    except LookupError:  # today's models (the tests replay data migrations on them): none to move
        return
    assignment_model = apps.get_model("checkpoints", "ShiftAssignment")
    rows = volunteer_model.objects.order_by("pk").values(
        "id",
        "name",
        "phone_sealed",
        "phone_masked",
        "note",
        "active",
        "community_id",
        street_id=models.F("community__street_id"),
    )
    moved = volunteers_to_members(
        rows, apps.get_model("teams", "Team"), apps.get_model("teams", "Member")
    )
    for volunteer, member in moved.items():
        for assignment in assignment_model.objects.filter(volunteer_id=volunteer).order_by("pk"):
            twin = assignment_model.objects.filter(shift_id=assignment.shift_id, member_id=member)
            if twin.exists():
                assignment.delete()
            else:
                assignment.member_id = member
                assignment.save(update_fields=["member"])


class Migration(migrations.Migration):
    dependencies = [
        ("checkpoints", "0002_doors"),
        ("teams", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="shiftassignment",
            name="member",
            field=models.ForeignKey(
                null=True,
                blank=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="teams.member",
            ),
        ),
        migrations.RunPython(move, migrations.RunPython.noop, elidable=False),
    ]
