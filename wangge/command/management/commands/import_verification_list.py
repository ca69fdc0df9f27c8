"""python manage.py import_verification_list FILE --street NAME [--deadline ISO-TIME]

Imports a verification list (协查名单) as a job run in this process (owned by the --by user, on the
job record like an upload), matches and routes every row, and prints as its last line
{"rows": n, "matched": n, "unmatched": n, "rejected": n}. A file this street already imported is
refused ("already imported as list N") with a non-zero exit.
"""

import json
from datetime import datetime
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from wangge.accounts.models import User
from wangge.command.services.verification_jobs import verification_list_run
from wangge.regions.models import Community, Street


def _deadline(text: str) -> datetime:
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError as error:
        raise CommandError(
            f"无法识别的时间“{text}”，请用ISO格式如 2026-03-02T18:00 / cannot read the time "
            f"'{text}': use ISO format such as 2026-03-02T18:00"
        ) from error
    return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed)


class Command(BaseCommand):
    help = "Import a verification list (协查名单) for a street and route its rows."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help=".xlsx (or .xls / .csv) list as pushed down from above")
        parser.add_argument("--street", required=True, help="the street's name, e.g. 江南街道")
        parser.add_argument("--deadline", help="the list's deadline, ISO time (Asia/Shanghai)")
        parser.add_argument("--community", help="a community of the street whose own list this is")
        parser.add_argument("--title", default="", help="the list's name (default: the file name)")
        parser.add_argument("--by", help="username recorded as the importer")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"找不到文件 {path} / no such file: {path}")
        street = Street.objects.filter(name=options["street"]).first()
        if street is None:
            raise CommandError(
                f"找不到街道“{options['street']}” / no street named '{options['street']}'"
            )
        community = None
        if options["community"]:
            community = Community.objects.filter(street=street, name=options["community"]).first()
            if community is None:
                raise CommandError(f"该街道没有社区“{options['community']}” / no such community")
        by = None
        if options["by"]:
            by = User.objects.filter(username=options["by"]).first()
            if by is None:
                raise CommandError(f"找不到用户 {options['by']} / no such user")
        deadline = _deadline(options["deadline"]) if options["deadline"] else None
        try:
            with path.open("rb") as stream:
                vlist = verification_list_run(
                    command="import_verification_list",
                    street=street,
                    stream=stream,
                    original_name=path.name,
                    by=by,
                    deadline=deadline,
                    community=community,
                    title=options["title"],
                )
        except ValidationError as error:
            raise CommandError("；".join(error.messages)) from error
        except PermissionDenied as error:
            raise CommandError(str(error)) from error
        for row in vlist.rows.exclude(problem="").order_by("position")[:50]:
            self.stderr.write(f"第{row.row_number}行 / row {row.row_number}: {row.problem}")
        self.stdout.write(f"list {vlist.pk}: {vlist.title}")
        self.stdout.write(json.dumps(vlist.counts))
