"""A staff import runs as a job: the record says how it went, and a job run again (its worker
thought dead) creates no account twice and keeps the one-time passwords of the first run."""

from wangge.accounts.models import StaffImport, User
from wangge.accounts.staff_import.services import staff_import_create, staff_import_job
from wangge.accounts.tests.sheets import HEADER, xlsx
from wangge.core.jobs.models import Job
from wangge.core.models import AuditEntry


def test_a_staff_import_job_run_twice_writes_once(
    world, immediate_tasks, django_capture_on_commit_callbacks
):
    content = xlsx(HEADER, ["job1", "甲", "", "网格员", "东社区", "第一网格"])

    with django_capture_on_commit_callbacks(execute=True):
        staff_import = staff_import_create(
            by=world.users["carol"], street=world.street, filename="staff.xlsx", content=content
        )

    staff_import.refresh_from_db()
    job = staff_import.job
    assert job.kind == "staff.import" and job.status == Job.Status.DONE
    assert job.counts == {"created": 1, "updated": 0, "rejected": 0}
    sealed = staff_import.credentials_sealed
    assert sealed

    assert staff_import_job(job, lambda done, total: None) == job.counts

    staff_import.refresh_from_db()
    assert staff_import.credentials_sealed == sealed
    assert User.objects.filter(username="job1").count() == 1
    imports = AuditEntry.objects.filter(action="import", target_id=str(staff_import.pk))
    assert imports.count() == 2  # the upload, and the one run that wrote
    assert StaffImport.objects.get().status == StaffImport.Status.DONE
