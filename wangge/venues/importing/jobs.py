"""The venue import as a job (core.jobs.importer): parse the file, plan against the register with
reads only, then write in one transaction that locks the import and marks it done
(pipeline.write_import). A job taken back from a dead worker runs again from the start and finds
the import done, or nothing of it written."""

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction

from wangge.core.jobs.importer import register_importer
from wangge.core.jobs.models import Job
from wangge.core.jobs.runner import JobFailed
from wangge.venues.importing.pipeline import ParsedFile, fail, parse_file, plan_parsed, write_import
from wangge.venues.importing.planner import Plan
from wangge.venues.importing.reader import VenueReadError
from wangge.venues.models import VenueImport

OWNER_GONE = "导入人的账号已删除 / the importer's account was deleted"


@dataclass
class VenueRun:
    """An import as its job goes: its rows once read, its plan once made, or why it cannot run;
    none of them when the import is no longer running (a job run again)."""

    venue_import: VenueImport
    parsed: ParsedFile | None = None
    plan: Plan | None = None
    error: str = ""


def _outcome(venue_import: VenueImport) -> dict[str, Any]:
    if venue_import.status == VenueImport.Status.FAILED:
        raise JobFailed(venue_import.message)
    return venue_import.counts


class VenueImporter:
    """The venue file's format. The job's owner imports (their scope decides the grids they may
    import into); a job without one only when the command line asked (Job.command)."""

    def parse(self, job: Job) -> VenueRun:
        venue_import = VenueImport.objects.select_related("street").get(job=job)
        if venue_import.status != VenueImport.Status.RUNNING:
            return VenueRun(venue_import)
        if job.owner is None and not job.command:
            return VenueRun(venue_import, error=OWNER_GONE)
        try:
            parsed = parse_file(
                Path(venue_import.file.path), venue_import.original_name, venue_import.street
            )
        except VenueReadError as error:
            return VenueRun(venue_import, error=str(error))
        return VenueRun(venue_import, parsed=parsed)

    def plan(self, job: Job, rows: VenueRun) -> VenueRun:
        if rows.parsed is not None:
            rows.plan = plan_parsed(rows.parsed, rows.venue_import.street, job.owner)
        return rows

    def write(self, job: Job, plan: VenueRun) -> dict[str, Any]:
        venue_import = plan.venue_import
        if plan.parsed is not None and plan.plan is not None:
            return _outcome(
                write_import(venue_import, plan.parsed, plan.plan, job.owner, job.origin)
            )
        with transaction.atomic():
            locked = VenueImport.objects.select_for_update().get(pk=venue_import.pk)
            if plan.error and locked.status == VenueImport.Status.RUNNING:
                locked = fail(locked, plan.error)
        return _outcome(locked)


venue_import_job = register_importer("venues.import", VenueImporter())
