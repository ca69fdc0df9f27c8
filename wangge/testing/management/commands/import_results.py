"""python manage.py import_results FILE [--round ID] [--street ID] [--user USERNAME]

Imports a lab file, as a job run in this process (owned by --user, on the job record like an
upload). The last line printed is one JSON object with the counts:
{"matched": n, "unmatched": n, "duplicates": n, "rejected": n}.
"""

import json
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.files import File
from django.core.management.base import BaseCommand, CommandError, CommandParser

from wangge.core.spreadsheets import TableError
from wangge.regions.models import Street
from wangge.testing.models import NucleicRound
from wangge.testing.services.lab.jobs import results_import_start

_SHOWN_REJECTIONS = 20
COUNTS = ("matched", "unmatched", "duplicates", "rejected")  # PostgreSQL's jsonb sorts its keys


class Command(BaseCommand):
    help = "Import nucleic-acid test results from a lab file (.xlsx, .xls or .csv)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")
        parser.add_argument("--round", type=int, help="every result joins this round (id)")
        parser.add_argument(
            "--street",
            type=int,
            help="the street whose resolution list gets "
            "the unmatched rows, when there is no round and several streets",
        )
        parser.add_argument("--user", help="the staff member recorded as importer")

    def handle(self, *args: Any, **options: Any) -> None:
        round = street = by = None
        try:
            if options["round"]:
                round = NucleicRound.objects.get(pk=options["round"])
            if options["street"]:
                street = Street.objects.get(pk=options["street"])
            if options["user"]:
                by = get_user_model().objects.get(username=options["user"])
        except (NucleicRound.DoesNotExist, Street.DoesNotExist) as error:
            raise CommandError(f"找不到 / not found: {error}") from error
        except get_user_model().DoesNotExist as error:
            raise CommandError(f"找不到用户 / no such user: {options['user']}") from error
        path = Path(options["file"])
        try:
            with path.open("rb") as stream:
                batch = results_import_start(
                    upload=File(stream, name=path.name),
                    round=round,
                    street=street,
                    by=by,
                    command="import_results",
                )
        except (TableError, OSError) as error:
            raise CommandError(str(error)) from error
        for row in batch.rejected_rows.all()[:_SHOWN_REJECTIONS]:
            self.stdout.write(f"第{row.row_number}行 / row {row.row_number}: {row.reason}")
        self.stdout.write(f"import #{batch.pk} {batch.original_name}")
        counts = {
            name: batch.counts.get(name, 0) for name in COUNTS
        }  # in this order, on any database
        self.stdout.write(json.dumps(counts, ensure_ascii=False))
