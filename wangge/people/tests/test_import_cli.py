"""`manage.py import_roster FILE --street NAME [--dry-run]`: output, exit, dry run."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from wangge.core.jobs.models import Job
from wangge.core.models import AuditEntry
from wangge.people.models import ImportBatch, Person
from wangge.people.tests.roster_files import person_row, write_roster
from wangge.regions.models import Household


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def run(*args):
    out = StringIO()
    call_command("import_roster", *args, stdout=out)
    return out.getvalue().strip().splitlines()


def roster(tmp_path):
    rows = [person_row(101, "周一"), person_row(102, "吴二"), person_row(103, "郑三", 姓名="")]
    return write_roster(tmp_path / "r.xlsx", rows)


def test_last_line_is_one_json_object_with_the_counts(world, tmp_path):
    lines = run(str(roster(tmp_path)), "--street", "江南街道")

    result = json.loads(lines[-1])
    assert list(result) == ["created", "updated", "unchanged", "rejected", "report"]
    assert (result["created"], result["updated"], result["unchanged"], result["rejected"]) == (
        2,
        0,
        0,
        1,
    )
    assert Path(result["report"]).is_file()


def test_report_is_null_without_rejections(world, tmp_path):
    path = write_roster(tmp_path / "r.xlsx", [person_row(101, "周一")])

    result = json.loads(run(str(path), "--street", "江南街道")[-1])

    assert result["report"] is None


def test_dry_run_writes_nothing_to_the_database_but_writes_the_report(world, tmp_path):
    counts_before = (
        Person.objects.count(),
        Household.objects.count(),
        ImportBatch.objects.count(),
        AuditEntry.objects.count(),
    )

    result = json.loads(run(str(roster(tmp_path)), "--street", "江南街道", "--dry-run")[-1])

    assert result["created"] == 2 and result["rejected"] == 1
    assert Path(result["report"]).is_file()
    assert (
        Person.objects.count(),
        Household.objects.count(),
        ImportBatch.objects.count(),
        AuditEntry.objects.count(),
    ) == counts_before


def test_an_unreadable_file_fails_with_a_clear_message(world, tmp_path):
    path = tmp_path / "r.xlsx"
    path.write_bytes(b"PK\x03\x04 broken")

    with pytest.raises(CommandError, match="无法读取"):
        run(str(path), "--street", "江南街道")

    assert not ImportBatch.objects.exists()


def test_a_missing_file_fails(world, tmp_path):
    with pytest.raises(CommandError, match="找不到文件"):
        run(str(tmp_path / "none.xlsx"), "--street", "江南街道")


def test_the_import_is_a_job_record_with_its_counts_and_audited(world, tmp_path):
    result = json.loads(run(str(roster(tmp_path)), "--street", "江南街道")[-1])

    batch = ImportBatch.objects.select_related("job").get()
    job = batch.job
    assert job is not None and job.kind == "roster.import" and job.status == Job.Status.DONE
    assert job.owner is None and job.command == "import_roster"
    assert job.counts == batch.counts
    assert (job.counts["created"], job.counts["rejected"]) == (
        result["created"],
        result["rejected"],
    )
    assert AuditEntry.objects.filter(action="import", target_id=str(batch.pk)).count() == 1
