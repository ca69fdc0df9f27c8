"""Venue import services: the upload (a VenueImport and its job, run by the worker) and the
command line's import (the same record, run in the command's process; a dry run only reads,
checks and reports). Who may import: staff holding IMPORT somewhere in the street; each row must
name a grid in their area."""

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone

from wangge.core.jobs.runner import job_start
from wangge.core.jobs.services import job_create
from wangge.core.origin import Origin
from wangge.core.roles import Action
from wangge.core.row_report import first_errors
from wangge.regions.models import Street
from wangge.venues.importing.pipeline import parse_file, plan_parsed, write_report
from wangge.venues.importing.reader import ACCEPTED_SUFFIXES, VenueReadError, open_venues
from wangge.venues.models import VenueImport

KIND = "venues.import"
COMMAND = "import_venues"


@dataclass
class ImportOutcome:
    counts: dict[str, int]
    report: Path | None
    first_errors: list[dict[str, Any]]


def check_street(street: Street, by: Any) -> None:
    """PermissionDenied unless `by` (None: the command line) may import into the street."""
    if by is not None and not Street.objects.restrict(by, Action.IMPORT).filter(pk=street.pk):
        raise PermissionDenied(
            f"您无权向“{street.name}”导入场所 / you may not import venues into '{street.name}'"
        )


def _rows(path: Path, name: str) -> int:
    sheet = open_venues(path, name)
    sheet.close()
    return sheet.data_rows


def _start(venue_import: VenueImport, by: Any, origin: Origin, command: str = "") -> VenueImport:
    job = job_create(
        kind=KIND, owner=by, total=venue_import.rows_total, origin=origin, command=command
    )
    VenueImport.objects.filter(pk=venue_import.pk).update(job=job)
    job_start(job, size=venue_import.rows_total, here=bool(command))
    venue_import.refresh_from_db()
    return venue_import


def venue_import_upload(
    *, by: Any, street: Street, upload: UploadedFile, origin: Origin = Origin.SYSTEM
) -> VenueImport:
    """Store the upload and import it as a job (by the worker: settings.WANGGE["JOB_INLINE_MAX"]
    ["venues.import"] rows run at once). ValidationError if it cannot be read as a venue list."""
    check_street(street, by)
    name = upload.name or ""
    suffix = Path(name).suffix.lower()
    if suffix not in ACCEPTED_SUFFIXES:
        raise ValidationError(
            "请上传 .xlsx、.xls 或 .csv 文件 / upload an .xlsx, .xls or .csv file"
        )
    venue_import = VenueImport(
        street=street,
        created_by=by,
        original_name=name[:200],
        status=VenueImport.Status.RUNNING,
    )
    venue_import.file.save(f"venues{suffix}", upload, save=False)
    try:
        venue_import.rows_total = _rows(Path(venue_import.file.path), name)
    except VenueReadError as error:
        venue_import.file.delete(save=False)
        raise ValidationError(str(error)) from error
    venue_import.save()
    return _start(venue_import, by, origin)


def venue_import_file(
    *, path: Path, street: Street, dry_run: bool = False, by: Any = None
) -> ImportOutcome:
    """The command line's import, as the system (the whole street) unless it names a user: an
    import and its job, run in this process, audited as an upload is. A dry run only reads,
    checks and writes the error report. VenueReadError when the file cannot be read."""
    check_street(street, by)
    if dry_run:
        parsed = parse_file(path, path.name, street)
        plan = plan_parsed(parsed, street, by)
        stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
        report = write_report(parsed.headers, plan, f"venues-dry-run-{stamp}")
        return ImportOutcome(plan.counts, report, first_errors(plan.rejections))
    venue_import = VenueImport(
        street=street,
        created_by=by,
        original_name=path.name[:200],
        status=VenueImport.Status.RUNNING,
        rows_total=_rows(path, path.name),
    )
    with path.open("rb") as handle:
        venue_import.file.save(f"venues{path.suffix.lower()}", File(handle), save=True)
    venue_import = _start(venue_import, by, Origin.SYSTEM, command=COMMAND)
    if venue_import.status == VenueImport.Status.FAILED:
        raise VenueReadError(venue_import.message)
    relative = venue_import.error_report
    return ImportOutcome(
        venue_import.counts,
        Path(settings.MEDIA_ROOT) / relative if relative else None,
        venue_import.first_errors,
    )
