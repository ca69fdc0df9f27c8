"""Roster import service functions: upload → preview → confirm, and the command line.

The web flow keeps one ImportBatch per file: `roster_import_upload` stores it, `roster_import_preview`
counts without writing, `roster_import_apply` confirms and imports. Preview and import each run as
a job (wangge.core.jobs; the handlers are in importing/jobs.py), in the request or by the worker as
the job's kind decides; the command line's import (`roster_import_file`) is a batch and job too,
run in the command's process. Undo is in undo.py; the steps themselves in pipeline.py.
"""

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone

from wangge.accounts.authority import holds, user_can
from wangge.core.jobs.runner import job_start
from wangge.core.jobs.services import job_create
from wangge.core.origin import Origin
from wangge.core.roles import Action
from wangge.core.row_report import first_errors, media_relative
from wangge.people.importing.pipeline import (
    Progress,
    fail,
    parse_file,
    plan_parsed,
    write_report,
)
from wangge.people.importing.reader import ACCEPTED_SUFFIXES, RosterReadError, open_roster
from wangge.people.models import ImportBatch
from wangge.regions.models import Street


@dataclass
class ImportOutcome:
    counts: dict[str, int]
    report: Path | None
    first_errors: list[dict[str, Any]]


def check_street(street_name: str, by: Any) -> None:
    """Refuse an unknown street to all but administrators, and a street out of the user's reach."""
    if by is None:
        return
    if not user_can(by, Action.IMPORT):
        raise PermissionDenied("您无权导入人员 / you may not import persons")
    street = Street.objects.filter(name=street_name).first()
    if street is None:
        if not holds(by, Action.IMPORT, None):
            raise ValidationError(
                f"街道“{street_name}”不存在 / street '{street_name}' does not exist"
            )
    elif not Street.objects.restrict(by, Action.IMPORT).filter(pk=street.pk).exists():
        raise PermissionDenied(
            f"您无权向“{street_name}”导入 / you may not import into '{street_name}'"
        )


def _check_owner(batch: ImportBatch, by: Any) -> None:
    if by is not None and batch.created_by_id != by.pk:
        raise PermissionDenied("只有导入人可以操作该批次 / only the importer may do this")


def roster_import_upload(*, by: Any, street_name: str, upload: UploadedFile) -> ImportBatch:
    """Store the uploaded file as a new batch. ValidationError if it cannot be read as a roster."""
    check_street(street_name, by)
    name = upload.name or ""
    suffix = Path(name).suffix.lower()
    if suffix not in ACCEPTED_SUFFIXES:
        raise ValidationError(
            "请上传 .xlsx、.xls 或 .csv 文件 / upload an .xlsx, .xls or .csv file"
        )
    batch = ImportBatch(street_name=street_name, original_name=name[:200], created_by=by)
    batch.file.save(f"roster{suffix}", upload, save=False)
    try:
        sheet = open_roster(Path(batch.file.path), name)
    except RosterReadError as error:
        batch.file.delete(save=False)
        raise ValidationError(str(error)) from error
    batch.rows_total = max(0, sheet.last_row - sheet.header.index - 1)
    batch.save()
    return batch


def roster_import_preview(*, batch: ImportBatch, by: Any) -> ImportBatch:
    """Check and count the batch's file without writing, as a job: at once when it is small, else
    by the worker (settings.WANGGE["JOB_INLINE_MAX"]["roster.preview"] rows)."""
    _check_owner(batch, by)
    check_street(batch.street_name, by)
    return _start(batch, by, "roster.preview")


def roster_import_apply(
    *, batch: ImportBatch, by: Any, origin: Origin = Origin.SYSTEM
) -> ImportBatch:
    """Confirm a previewed batch, once (a second confirm finds it taken), and import it as a job:
    at once when it is small, else by the worker."""
    _check_owner(batch, by)
    check_street(batch.street_name, by)
    claimed = ImportBatch.objects.filter(pk=batch.pk, status=ImportBatch.Status.PREVIEWED).update(
        status=ImportBatch.Status.IMPORTING
    )
    if not claimed:
        raise ValidationError(
            "该批次未经预览，或已导入、正在导入 / this batch is not previewed, or already imported"
        )
    return _start(batch, by, "roster.import", origin)


def _start(
    batch: ImportBatch, by: Any, kind: str, origin: Origin = Origin.SYSTEM, command: str = ""
) -> ImportBatch:
    """The batch's job of `kind`, at once or by the worker; a command's job always at once."""
    job = job_create(kind=kind, owner=by, total=batch.rows_total, origin=origin, command=command)
    ImportBatch.objects.filter(pk=batch.pk).update(job=job)
    job_start(job, size=batch.rows_total, here=bool(command))
    batch.refresh_from_db()
    return batch


def preview_batch(batch: ImportBatch, by: Any, progress: Progress) -> ImportBatch:
    """The preview job's work: read, check and match without writing; store counts and report."""
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportBatch.Status.PREVIEWING)
    path = Path(batch.file.path)
    try:
        parsed = parse_file(path, batch.original_name, progress, street_name=batch.street_name)
        plan = plan_parsed(parsed, batch.street_name, by)
        report = write_report(path, batch.original_name, plan, f"import-{batch.pk}-preview")
    except RosterReadError as error:
        return fail(batch, str(error))
    except Exception as error:
        fail(batch, f"预览失败 / preview failed: {error}")
        raise
    batch.status = ImportBatch.Status.PREVIEWED
    batch.rows_total = parsed.data_rows
    batch.counts = plan.counts
    batch.first_errors = first_errors(plan.rejections)
    batch.error_report = media_relative(report)
    batch.save()
    return batch


def roster_import_file(
    *, path: Path, street_name: str, dry_run: bool = False, by: Any = None
) -> ImportOutcome:
    """The command line's import, as the system (full access inside the street named) unless it
    names a user: a batch and its "roster.import" job, run in this process, so the import is on
    the job page and audited as an upload is. A dry run only reads, checks and reports.

    RosterReadError when the file cannot be read; then nothing is imported.
    """
    if dry_run:
        parsed = parse_file(path, path.name, street_name=street_name)
        plan = plan_parsed(parsed, street_name, by)
        stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
        report = write_report(path, path.name, plan, f"import-dry-run-{stamp}")
        return ImportOutcome(plan.counts, report, first_errors(plan.rejections))
    sheet = open_roster(path, path.name)
    batch = ImportBatch(
        street_name=street_name,
        original_name=path.name[:200],
        created_by=by,
        status=ImportBatch.Status.IMPORTING,
        rows_total=max(0, sheet.last_row - sheet.header.index - 1),
    )
    with path.open("rb") as handle:
        batch.file.save(f"roster{path.suffix.lower()}", File(handle), save=True)
    batch = _start(batch, by, "roster.import", command="import_roster")
    if batch.status == ImportBatch.Status.FAILED:
        raise RosterReadError(batch.message)
    report = Path(settings.MEDIA_ROOT) / batch.error_report if batch.error_report else None
    return ImportOutcome(batch.counts, report, batch.first_errors)
