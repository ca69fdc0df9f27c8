"""The roster's two jobs, run by wangge.core.jobs.runner: previewing a batch and importing it.

The import is an Importer (core.jobs.importer): parse the file, plan against the database with
reads only, then write in one transaction that locks the batch, checks that what the plan read is
still so, and marks the batch done (pipeline.write_batch). Each may run twice (the reaper gives a
job whose worker died to another): a batch already past the job's step is left as it is.
"""

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction

from wangge.core.jobs.importer import register_importer
from wangge.core.jobs.models import Job
from wangge.core.jobs.runner import Beat, JobFailed, register
from wangge.people.importing.pipeline import (
    ParsedFile,
    fail,
    parse_file,
    plan_parsed,
    write_batch,
)
from wangge.people.importing.planner import Plan
from wangge.people.importing.reader import RosterReadError
from wangge.people.importing.service import preview_batch
from wangge.people.models import ImportBatch

OWNER_GONE = "导入人的账号已删除 / the importer's account was deleted"


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


@dataclass
class RosterRun:
    """A confirmed batch as the import goes: its rows once read, its plan once made, or why it
    cannot be imported; none of them when the batch is no longer importing (a job run again)."""

    batch: ImportBatch
    parsed: ParsedFile | None = None
    plan: Plan | None = None
    error: str = ""


class RosterImporter:
    """The roster's format, run as a job by core.jobs.importer. The job's owner imports (their
    scope decides what they may touch); a job without one only when the command line asked."""

    def parse(self, job: Job) -> RosterRun:
        batch = ImportBatch.objects.get(job=job)
        if batch.status != ImportBatch.Status.IMPORTING:
            return RosterRun(batch)
        if job.owner is None and not job.command:
            return RosterRun(batch, error=OWNER_GONE)
        try:
            parsed = parse_file(
                Path(batch.file.path), batch.original_name, street_name=batch.street_name
            )
        except RosterReadError as error:
            return RosterRun(batch, error=str(error))
        return RosterRun(batch, parsed=parsed)

    def plan(self, job: Job, rows: RosterRun) -> RosterRun:
        if rows.parsed is None:
            return rows
        try:
            rows.plan = plan_parsed(rows.parsed, rows.batch.street_name, job.owner)
        except Exception as error:
            fail(
                rows.batch,
                f"导入失败，未写入任何数据 / import failed, nothing was written: {error}",
            )
            raise
        return rows

    def write(self, job: Job, plan: RosterRun) -> dict[str, Any]:
        batch = plan.batch
        if plan.parsed is not None and plan.plan is not None:
            return _outcome(write_batch(batch, plan.parsed, plan.plan, job.owner, job.origin))
        with transaction.atomic():
            locked = ImportBatch.objects.select_for_update().get(pk=batch.pk)
            if plan.error and locked.status == ImportBatch.Status.IMPORTING:
                locked = fail(locked, plan.error)
        return _outcome(locked)


roster_import_job = register_importer("roster.import", RosterImporter())
