"""manage.py restore_drill DUMP [--server URL] [--keep-database]: restore a dump of
backup_database into a fresh database, compare every table's rows with the dump's own counts, read
every model through the ORM, run the checks, drop the database (docs/operations.md)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from wangge.core.backups import BackupError, restore_drill


class Command(BaseCommand):
    help = "Restore a backup into a fresh database and check that it is whole."

    def add_arguments(self, parser):
        parser.add_argument("dump", type=Path)
        parser.add_argument(
            "--server", help="PostgreSQL URL of the server to restore on (default: the database's)"
        )
        parser.add_argument("--keep-database", action="store_true")

    def handle(self, *args, **options):
        try:
            drill = restore_drill(options["dump"], options["server"], options["keep_database"])
        except BackupError as error:
            raise CommandError(str(error)) from error
        for table, (expected, actual) in drill.mismatches.items():
            self.stderr.write(f"{table}: {expected} rows in the backup, {actual} restored")
        fate = "dropped" if drill.dropped else "kept"
        summary = (
            f"{drill.database} ({fate}): restored in {drill.restore_seconds:.1f} s, "
            f"{drill.tables} tables, {drill.rows} rows, {drill.models} models read"
        )
        if drill.mismatches:
            raise CommandError(f"{summary}; {len(drill.mismatches)} tables differ from the backup")
        self.stdout.write(f"{summary}; every table's rows match the backup")
