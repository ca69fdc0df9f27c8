"""`manage.py import_roster FILE --street NAME [--dry-run]`: a roster import as the system.

The last line of output is one JSON object with the counts and the error report's path (or null).
Exit 0 when the file was read, even with rejected rows; a clear message and exit 1 when it cannot be
read at all.
"""

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from wangge.people.importing.reader import RosterReadError
from wangge.people.importing.service import roster_import_file


class Command(BaseCommand):
    help = "Import a roster (.xlsx, .xls or .csv) into a street; --dry-run writes nothing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--street", required=True, help="the street (街道) to import into")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="check and count only; the database is not touched (the error report is written)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"找不到文件 / no such file: {path}")
        street = options["street"].strip()
        if not street:
            raise CommandError("请用 --street 指定街道 / name the street with --street")
        try:
            outcome = roster_import_file(path=path, street_name=street, dry_run=options["dry_run"])
        except RosterReadError as error:
            raise CommandError(str(error)) from error
        counts = outcome.counts
        if options["dry_run"]:
            self.stdout.write("试运行，未写入数据库 / dry run: nothing was written to the database")
        for problem in outcome.first_errors:
            self.stdout.write(f"第{problem['row']}行 {problem['column']}：{problem['reason']}")
        if counts.get("warnings"):
            self.stdout.write(
                f"{counts['warnings']}行已导入但有提示（见报告“提示”页） / {counts['warnings']} rows "
                "were imported with a warning (see the report's 提示 sheet)"
            )
        result = {
            "created": counts["created"],
            "updated": counts["updated"],
            "unchanged": counts["unchanged"],
            "rejected": counts["rejected"],
            "report": str(outcome.report) if outcome.report else None,
        }
        self.stdout.write(json.dumps(result, ensure_ascii=False))
