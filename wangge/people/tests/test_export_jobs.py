"""An export is a job: its page polls a progress bar, only its owner downloads its file, and only
until it expires; the file is watermarked and holds the owner's scope at the time it runs."""

from datetime import timedelta
from unittest import mock

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from wangge.accounts.models import RoleAssignment
from wangge.core.exports import export_purge, result_path
from wangge.core.jobs.models import Job
from wangge.core.jobs.runner import run_job
from wangge.core.models import AuditEntry
from wangge.people.exporting import person_export


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_only_the_owner_sees_the_job_and_downloads_its_file(client, world):
    job = person_export(by=world.users["carol"], reason="screening")

    client.force_login(world.users["alice"])
    assert client.get(reverse("core:job", args=[job.pk])).status_code == 404
    assert client.get(reverse("core:job_download", args=[job.pk])).status_code == 404
    client.force_login(world.users["carol"])
    page = client.get(reverse("core:job", args=[job.pk]))
    download = client.get(reverse("core:job_download", args=[job.pk]))

    assert page.status_code == 200
    assert 'data-testid="download"' in page.content.decode()
    assert download.status_code == 200
    assert download["Cache-Control"] == "no-store"
    entry = AuditEntry.objects.get(action="download")
    assert entry.actor == world.users["carol"] and entry.reason == "疫情防控排查"


def test_the_download_is_gone_after_the_retention_and_the_purge_deletes_the_file(
    client, world, settings
):
    settings.WANGGE = {**settings.WANGGE, "EXPORT_RETENTION_HOURS": 24}
    job = person_export(by=world.users["carol"], reason="screening")

    with time_machine.travel(timezone.now() + timedelta(hours=23)):
        client.force_login(world.users["carol"])  # a session of its own: the old one timed out
        assert client.get(reverse("core:job_download", args=[job.pk])).status_code == 200
        assert export_purge() == 0
    with time_machine.travel(timezone.now() + timedelta(hours=25)):
        client.force_login(world.users["carol"])
        gone = client.get(reverse("core:job_download", args=[job.pk]))
        assert export_purge() == 1

    assert gone.status_code == 410
    assert "/ this export has expired" in gone.content.decode()
    assert not result_path(job).exists()


def test_every_sheet_is_watermarked_with_user_full_name_and_beijing_time(world):
    moment = timezone.make_aware(
        timezone.datetime(2022, 7, 1, 9, 30), timezone.get_fixed_timezone(480)
    )
    with time_machine.travel(moment, tick=False):
        job = person_export(by=world.users["carol"], reason="visits")

    book = load_workbook(result_path(job))
    for sheet in book.worksheets:
        for line in (sheet.oddHeader.center.text, sheet.oddFooter.center.text, sheet["A1"].value):
            assert "carol（Carol）" in line
            assert "2022-07-01 09:30（北京时间）" in line
            assert "入户走访核实" in line


def test_a_queued_export_takes_the_owners_scope_when_the_worker_runs_it(client, world, settings):
    settings.WANGGE = {**settings.WANGGE, "JOB_INLINE_MAX": {"people.roster": 0}}
    carol = world.users["carol"]
    with mock.patch("wangge.core.jobs.runner.job_run_task") as wake:
        job = person_export(by=carol, reason="screening")
    client.force_login(carol)
    waiting = client.get(reverse("core:job", args=[job.pk])).content.decode()
    assert job.status == Job.Status.QUEUED and wake.called
    assert 'hx-trigger="every 2s"' in waiting and "<progress" in waiting

    RoleAssignment.objects.filter(user=carol).delete()
    run_job(job.pk)

    job.refresh_from_db()
    rows = list(load_workbook(result_path(job)).active.iter_rows(values_only=True))
    assert job.status == Job.Status.DONE and job.counts == {"rows": 0}
    assert len(rows) == 2  # the watermark and the headers: no person is in scope any more


def test_an_export_of_a_disabled_account_fails(world, settings):
    settings.WANGGE = {**settings.WANGGE, "JOB_INLINE_MAX": {"people.roster": 0}}
    carol = world.users["carol"]
    with mock.patch("wangge.core.jobs.runner.job_run_task"):
        job = person_export(by=carol, reason="screening")
    carol.is_active = False
    carol.save()

    run_job(job.pk)

    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and not job.result_file


def test_an_export_run_again_after_a_killed_run_leaves_its_one_whole_file(world, settings):
    # given a queued export whose earlier run was killed while writing its file, a minute before
    settings.WANGGE = {**settings.WANGGE, "JOB_INLINE_MAX": {"people.roster": 0}}
    with mock.patch("wangge.core.jobs.runner.job_run_task"):
        job = person_export(by=world.users["carol"], reason="screening")
    folder = settings.MEDIA_ROOT / "exports" / str(job.pk)
    folder.mkdir(parents=True)
    (folder / "人员名单-20220701-0929.xlsx").write_bytes(b"PK\x03\x04 half a workbook")
    (folder / "人员名单-20220701-0930.xlsx.partial").write_bytes(b"PK\x03\x04")

    # when the job runs again
    run_job(job.pk)

    # then its folder holds only the file it wrote, and that file is whole
    job.refresh_from_db()
    assert [path.name for path in folder.iterdir()] == [result_path(job).name]
    assert load_workbook(result_path(job)).active["A1"].value.startswith("导出人：carol")


@pytest.mark.parametrize("reason", ["", "gossip", "other"])
def test_an_export_without_a_known_purpose_is_refused_before_any_job(world, reason):
    with pytest.raises(PermissionDenied):
        person_export(by=world.users["carol"], reason=reason)

    assert not Job.objects.exists() and not AuditEntry.objects.filter(action="export").exists()
