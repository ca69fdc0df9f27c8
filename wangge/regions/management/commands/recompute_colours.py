"""`manage.py recompute_colours [--street NAME]`: check every household's stored colour against
the rule, correct the wrong ones (history reason "recompute") and print, as the last line,
{"households": n, "corrected": n}. Exit code 0; 1 when the run fails. The run is a job of kind
"colours.recompute" (regions.jobs), run in this process."""

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from wangge.core.jobs.models import Job
from wangge.regions.jobs import colours_recompute_run
from wangge.regions.models import Household, Street


class Command(BaseCommand):
    help = "重算全部户色并校正错误的户色 / recompute every household colour, correcting wrong ones"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--street", help="只重算该街道 / only this street (by name)")

    def handle(self, *args: Any, **options: Any) -> None:
        street = None
        if options["street"]:
            street = Street.objects.filter(name=options["street"]).first()
            if street is None:
                raise CommandError(
                    f"街道“{options['street']}”不存在 / no street named {options['street']}"
                )
        job = colours_recompute_run(street=street)
        if job.status != Job.Status.DONE:
            raise CommandError(job.message)
        changes = job.counts["changes"]
        if changes:
            labels = {
                h.pk: str(h)
                for h in Household.objects.filter(
                    pk__in=[pk for pk, _, _ in changes]
                ).select_related("building__compound")
            }
            for pk, old, new in changes:
                self.stdout.write(f"校正 / corrected: #{pk} {labels.get(pk, '')} {old} → {new}")
        summary = {"households": job.counts["households"], "corrected": job.counts["corrected"]}
        self.stdout.write(json.dumps(summary))
