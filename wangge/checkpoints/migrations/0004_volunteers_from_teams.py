"""Duty rosters take their volunteers from the teams, step two: the assignment's volunteer is the
team member set in 0003, and the checkpoints' own volunteer table goes."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import Q


class Migration(migrations.Migration):
    dependencies = [("checkpoints", "0003_volunteers_to_members")]

    operations = [
        migrations.RemoveConstraint(
            model_name="shiftassignment", name="assignment_user_or_volunteer"
        ),
        migrations.RemoveConstraint(model_name="shiftassignment", name="shift_volunteer_once"),
        migrations.RemoveField(model_name="shiftassignment", name="volunteer"),
        migrations.RenameField(model_name="shiftassignment", old_name="member", new_name="volunteer"),
        migrations.AlterField(
            model_name="shiftassignment",
            name="volunteer",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="shifts",
                to="teams.member",
                verbose_name="志愿者",
            ),
        ),
        migrations.AddConstraint(
            model_name="shiftassignment",
            constraint=models.CheckConstraint(
                condition=Q(user__isnull=True, volunteer__isnull=False)
                | Q(user__isnull=False, volunteer__isnull=True),
                name="assignment_user_or_volunteer",
            ),
        ),
        migrations.AddConstraint(
            model_name="shiftassignment",
            constraint=models.UniqueConstraint(
                condition=Q(volunteer__isnull=False),
                fields=("shift", "volunteer"),
                name="shift_volunteer_once",
            ),
        ),
        migrations.DeleteModel(name="Volunteer"),
    ]
