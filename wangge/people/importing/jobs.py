"""The roster's two jobs, run by wangge.core.jobs.runner: previewing a batch and importing it.

Each may run twice (the reaper gives a job whose worker died to another): a batch already past the
job's step is left as it is, and the import's write checks the batch again under a row lock in its
own transaction (pipeline.write_batch).
"""

from typing import Any

from wangge.core.jobs.models import Job
from wangge.core.jobs.runner import Beat, JobFailed, register
from wangge.people.importing.service import import_batch, preview_batch
from wangge.people.models import ImportBatch


def _outcome(batch: ImportBatch) -> dict[str, Any]:
    if batch.status == ImportBatch.Status.FAILED:
        raise JobFailed(batch.message)
    return batch.counts


@register("roster.preview")
def roster_preview_job(job: Job, beat: Beat) -> dict[str, Any]:
    batch = ImportBatch.objects.get(job=job)
    if batch.status in {ImportBatch.Status.PENDING, ImportBatch.Status.PREVIEWING}:
        batch = preview_batch(batch, job.owner, beat)
    return _outcome(batch)


@register("roster.import")
def roster_import_job(job: Job, beat: Beat) -> dict[str, Any]:
    batch = ImportBatch.objects.get(job=job)
    if batch.status == ImportBatch.Status.IMPORTING:
        batch = import_batch(batch, job.owner, beat, job.origin)
    return _outcome(batch)
