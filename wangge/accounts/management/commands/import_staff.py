"""`manage.py import_staff FILE --street NAME`: staff accounts and roles from .xlsx.

Rejected rows are printed one a line; the one-time passwords of new accounts go to a credentials
workbook (`--credentials`, by default next to FILE); the last line is one JSON object
{"created": n, "updated": n, "rejected": n}.
"""

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from wangge.accounts.grants import SYSTEM
from wangge.accounts.staff_import.reader import StaffImportError
from wangge.accounts.staff_import.services import staff_import_file
from wangge.regions.models import Street


class Command(BaseCommand):
    help = "Import staff accounts and role assignments from .xlsx (one row per role)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--street", required=True, help="the street whose areas rows name")
        parser.add_argument(
            "--credentials",
            type=Path,
            help="where to write the one-time passwords (default: FILE-credentials.xlsx)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        source: Path = options["file"]
        try:
            content = source.read_bytes()
        except OSError as error:
            raise CommandError(f"无法读取文件 / cannot read {source}: {error.strerror}") from error
        street = Street.objects.filter(name=options["street"]).first()
        if street is None:
            raise CommandError(f"没有该街道 / no street named {options['street']}")
        try:
            result = staff_import_file(
                by=SYSTEM, street=street, filename=source.name, content=content
            )
        except StaffImportError as error:
            raise CommandError(str(error)) from error
        for problem in result.errors:
            self.stdout.write(
                f"第{problem['row']}行 row {problem['row']} · {problem['column']}: {problem['reason']}"
            )
        if result.credentials:
            target = options["credentials"] or source.with_name(f"{source.stem}-credentials.xlsx")
            target.write_bytes(result.credentials)
            target.chmod(0o600)
            self.stdout.write(f"初始密码 / one-time passwords: {target}")
        self.stdout.write(json.dumps(result.counts))
