"""The roster import as an Importer: its plan is made before the write, with reads only, and the
write checks under the batch's lock that what the plan read is still so."""

import pytest
from django.core.files.base import ContentFile

from conftest import _person
from wangge.core.jobs.runner import JobFailed
from wangge.core.jobs.services import job_create
from wangge.people.importing import pipeline
from wangge.people.importing.jobs import OWNER_GONE, RosterImporter
from wangge.people.models import ImportBatch, Person
from wangge.people.tests.roster_files import person_row, write_roster


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def confirmed(tmp_path, owner, rows):
    path = write_roster(tmp_path / "r.xlsx", rows)
    job = job_create(kind="roster.import", owner=owner, total=len(rows))
    batch = ImportBatch(
        street_name="江南街道",
        original_name=path.name,
        created_by=owner,
        status=ImportBatch.Status.IMPORTING,
        job=job,
    )
    batch.file.save("roster.xlsx", ContentFile(path.read_bytes()), save=True)
    return job, batch


def test_a_person_registered_between_plan_and_write_is_planned_again_not_created_twice(
    world, tmp_path
):
    carol = world.users["carol"]
    job, batch = confirmed(tmp_path, carol, [person_row(101, "周一"), person_row(102, "吴二")])
    importer = RosterImporter()
    run = importer.plan(job, importer.parse(job))
    assert run.plan is not None and run.plan.counts["created"] == 2
    # someone registers 周一 by hand before the write
    _person(world.households["a"], "周一", 101, phone="13700000000")
    persons = Person.objects.count()

    counts = importer.write(job, run)

    assert counts["created"] == 1 and counts["updated"] == 1
    assert Person.objects.count() == persons + 1
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.DONE and batch.counts == counts


def test_a_plan_still_true_at_the_write_is_written_as_it_was_made(world, tmp_path, monkeypatch):
    carol = world.users["carol"]
    job, batch = confirmed(tmp_path, carol, [person_row(101, "周一")])
    importer = RosterImporter()
    run = importer.plan(job, importer.parse(job))

    def planned_again(*args, **kwargs):
        raise AssertionError("the plan was still true")

    monkeypatch.setattr(pipeline, "plan_parsed", planned_again)
    counts = importer.write(job, run)

    assert counts["created"] == 1
    # a second run finds the batch done and writes nothing
    assert importer.write(job, importer.plan(job, importer.parse(job))) == counts
    assert Person.objects.filter(import_batch=batch).count() == 1


def test_a_job_whose_owner_is_gone_imports_nothing_rather_than_as_the_system(world, tmp_path):
    job, batch = confirmed(tmp_path, None, [person_row(101, "周一")])
    importer = RosterImporter()

    with pytest.raises(JobFailed, match="已删除"):
        importer.write(job, importer.plan(job, importer.parse(job)))

    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.FAILED and batch.message == OWNER_GONE
    assert not Person.objects.filter(import_batch=batch).exists()
