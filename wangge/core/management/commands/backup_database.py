"""manage.py backup_database --directory DIR [--keep N]: a pg_dump (custom format) of the database
with every table's rows counted in the same snapshot; keeps the newest N dumps (docs/operations.md)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from wangge.core.backups import BackupError, backup_write, counts_path


class Command(BaseCommand):
    help = "Back up the PostgreSQL database with pg_dump (custom format) and its row counts."

    def add_arguments(self, parser):
        parser.add_argument("--directory", type=Path, required=True)
        parser.add_argument("--keep", type=int, default=14, help="newest dumps kept (default 14)")

    def handle(self, *args, **options):
        if options["keep"] < 1:
            raise CommandError("--keep must be at least 1")
        try:
            dump = backup_write(options["directory"], options["keep"])
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"{dump} ({dump.stat().st_size} bytes), counts in {counts_path(dump)}")
