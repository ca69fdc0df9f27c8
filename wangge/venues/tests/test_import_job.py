"""The venue import on the job lifecycle (ADR 0012): a job run again after its write committed
writes nothing twice; a plan gone stale before the write's lock is made again. The worker killed
mid-write is the shared Importer lifecycle's case (tests/test_job_sigkill.py, core/tests/
test_job_importer.py): the write is one transaction that begins by locking the import."""

from pathlib import Path

import pytest

from wangge.core.jobs.models import Job
from wangge.core.jobs.runner import run_job
from wangge.core.jobs.services import job_create
from wangge.venues.importing.jobs import VenueImporter
from wangge.venues.models import Venue, VenueEvent, VenueImport, VenueKind
from wangge.venues.services.register import VenueData, venue_create
from wangge.venues.tests.venue_files import venue_row, write_venues


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def queued_import(world, tmp_path, rows) -> Job:
    path: Path = write_venues(tmp_path / "v.csv", rows)
    job = job_create(kind="venues.import", owner=world.users["alice"], total=len(rows))
    venue_import = VenueImport(
        street=world.street,
        created_by=world.users["alice"],
        original_name="v.csv",
        status=VenueImport.Status.RUNNING,
        job=job,
    )
    venue_import.file.save("v.csv", path.open("rb"), save=True)
    return job


def test_a_job_taken_back_after_its_write_committed_writes_nothing_again(world, tmp_path):
    job = queued_import(world, tmp_path, [venue_row("甲"), venue_row("乙")])
    run_job(job.pk)
    # the worker died after its commit, before the job was marked done: the reaper queues it again
    Job.objects.filter(pk=job.pk).update(status=Job.Status.QUEUED, worker="")

    again = run_job(job.pk)

    assert again is not None and again.status == Job.Status.DONE
    assert again.counts["created"] == 2
    assert Venue.objects.count() == 2 and VenueEvent.objects.count() == 2


def test_a_venue_registered_by_hand_after_the_plan_is_matched_not_created_twice(world, tmp_path):
    job = queued_import(world, tmp_path, [venue_row("甲", 负责人="王五")])
    importer = VenueImporter()
    planned = importer.plan(job, importer.parse(job))
    assert planned.plan is not None and planned.plan.counts["created"] == 1
    venue_create(
        by=None,
        data=VenueData(name="甲", kind=VenueKind.objects.get(name="餐饮店"), grid=world.grid_a),
    )

    counts = importer.write(job, planned)

    assert (counts["created"], counts["updated"]) == (0, 1)
    assert Venue.objects.get().responsible_name == "王五"
