"""A lab file as a job: stored, then imported in the request or by the task worker, as the job's
kind decides (settings.WANGGE["JOB_INLINE_MAX"]["lab.import"], in bytes).

The HTML view, the API and the command line all call `results_import_start`; the command line's
job runs in its own process, as the user it names or the system.
"""

from pathlib import Path
from typing import Any

from django.core.files import File
from django.db import transaction
from django.utils import timezone

from wangge.core.jobs.models import Job
from wangge.core.jobs.runner import Beat, JobFailed, job_start, register
from wangge.core.jobs.services import job_create
from wangge.core.origin import Origin
from wangge.core.spreadsheets import TableError
from wangge.regions.models import Street
from wangge.testing.models import NucleicRound, ResultImport
from wangge.testing.services.lab.importing import results_import, street_for

OWNER_GONE = "导入人的账号已删除 / the importer's account was deleted"


def results_import_start(
    *,
    upload: File,
    round: NucleicRound | None,
    by: Any,
    origin: Origin = Origin.SYSTEM,
    street: Street | None = None,
    command: str = "",
) -> ResultImport:
    """Store the file and import it: at once when it is small, else by the worker (the batch then
    tells how it went); a management command's (`command`) at once whatever its size. A file
    imported at once that cannot be read raises TableError and leaves nothing. `street` gets the
    unmatched rows when there is no round (default: the only street)."""
    size = upload.size or 0
    with transaction.atomic():
        job = job_create(kind="lab.import", owner=by, total=size, origin=origin, command=command)
        batch = ResultImport.objects.create(
            round=round,
            street_id=street_for(round, street),
            created_by=by,
            file=upload,
            original_name=Path(upload.name or "").name[:200],
            job=job,
        )
    try:
        ran_here = job_start(job, size=size, here=bool(command))
    except Exception:
        _forget(batch, job)
        raise
    if ran_here:
        batch.refresh_from_db()
        if batch.status == ResultImport.Status.FAILED:
            _forget(batch, job)
            raise TableError(batch.message)
    return batch


def _forget(batch: ResultImport, job: Job) -> None:
    """A file refused during the upload leaves no import behind, as if it had never been sent."""
    batch.file.delete(save=False)
    batch.delete()
    job.delete()


def run_import(batch: ResultImport, origin: Origin = Origin.SYSTEM) -> ResultImport:
    """Import the batch's stored file; a file that cannot be read marks the batch failed, with why.
    The file is deleted afterwards: the results keep what is needed, sealed. `origin` is the upload's
    (the job's), for the audit entry."""
    try:
        results_import(
            path=batch.file.path,
            by=batch.created_by,
            round=batch.round,
            street=batch.street,
            original_name=batch.original_name,
            batch=batch,
            origin=origin,
        )
    except TableError as error:
        ResultImport.objects.filter(pk=batch.pk).update(
            status=ResultImport.Status.FAILED,
            message=str(error)[:500],
            finished_at=timezone.now(),
        )
    finally:
        batch.file.delete(save=False)
        ResultImport.objects.filter(pk=batch.pk).update(file="")
    batch.refresh_from_db()
    return batch


@register("lab.import")
def lab_import_job(job: Job, beat: Beat) -> dict[str, Any]:
    batch = ResultImport.objects.select_related("round", "street", "created_by").get(job=job)
    if batch.status in {ResultImport.Status.PENDING, ResultImport.Status.RUNNING}:
        if batch.created_by is None and not job.command:
            # not the system's import: its importer's account was deleted
            batch.file.delete(save=False)
            ResultImport.objects.filter(pk=batch.pk).update(
                status=ResultImport.Status.FAILED,
                message=OWNER_GONE,
                finished_at=timezone.now(),
                file="",
            )
            raise JobFailed(OWNER_GONE)
        batch = run_import(batch, job.origin)
    if batch.status == ResultImport.Status.FAILED:
        raise JobFailed(batch.message)
    return batch.counts
