"""`manage.py import_venues FILE --street NAME [--dry-run]`: a venue import as the system.

The last line of output is one JSON object: {"created", "updated", "unchanged", "rejected",
"warnings", "report"} (the error report's path, or null). Exit 0 whenever the file was read, even
with rejected rows; 1 with a clear message when it cannot be read; 2 when --street names no street.
"""

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from wangge.regions.models import Street
from wangge.venues.importing.reader import VenueReadError
from wangge.venues.importing.service import venue_import_file

KEYS = ("created", "updated", "unchanged", "rejected", "warnings")


class Command(BaseCommand):
    help = "Import venues (.xlsx, .xls or .csv) into a street; --dry-run writes nothing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--street", required=True, help="the street (街道) to import into")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="check and count only; the database is not touched (the error report is written)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        name = options["street"].strip()
        street = Street.objects.filter(name=name).first()
        if street is None:
            raise CommandError(f"街道“{name}”不存在 / no street named '{name}'", returncode=2)
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"找不到文件 / no such file: {path}")
        try:
            outcome = venue_import_file(path=path, street=street, dry_run=options["dry_run"])
        except VenueReadError as error:
            raise CommandError(str(error)) from error
        if options["dry_run"]:
            self.stdout.write("试运行，未写入数据库 / dry run: nothing was written to the database")
        for problem in outcome.first_errors:
            self.stdout.write(f"第{problem['row']}行 {problem['column']}：{problem['reason']}")
        result: dict[str, Any] = {key: outcome.counts.get(key, 0) for key in KEYS}
        result["report"] = str(outcome.report) if outcome.report else None
        self.stdout.write(json.dumps(result, ensure_ascii=False))
