"""Background work: a large lab file is imported by the task worker, not during the upload."""

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from huey.contrib.djhuey import db_task

from wangge.accounts.models import User
from wangge.core.spreadsheets import TableError
from wangge.testing.lab_import import results_import
from wangge.testing.models import ResultImport, TestRound


def run_import(batch_id: int) -> None:
    """Import an uploaded file; a file that cannot be read marks the batch failed, with why. The
    file is deleted afterwards: the results keep what is needed, sealed."""
    batch = ResultImport.objects.select_related("round", "street", "created_by").get(pk=batch_id)
    try:
        results_import(
            path=batch.file.path,
            by=batch.created_by,
            round=batch.round,
            street=batch.street,
            original_name=batch.original_name,
            batch=batch,
        )
    except TableError as error:
        with transaction.atomic():
            ResultImport.objects.filter(pk=batch_id).update(
                status=ResultImport.Status.FAILED,
                message=str(error)[:500],
                finished_at=timezone.now(),
            )
    finally:
        batch.file.delete(save=False)
        ResultImport.objects.filter(pk=batch_id).update(file="")


@db_task()
def results_import_task(batch_id: int) -> None:
    run_import(batch_id)


def results_import_queue(
    *, upload: UploadedFile, round: TestRound | None, by: User
) -> ResultImport:
    """Store a large lab file and hand it to the task worker; the batch tells how it went."""
    batch = ResultImport.objects.create(
        round=round,
        street=round.street if round else None,
        created_by=by,
        file=upload,
        original_name=(upload.name or "")[:200],
    )
    results_import_task(batch.pk)
    return batch
