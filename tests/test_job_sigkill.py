"""A worker killed with SIGKILL in the middle of an import's write: the reaper gives the job to
another worker, which completes it; nothing is half-written and nothing is done twice.

Each test starts real worker processes (tests/job_worker.py) on the test database, stalls the first
one inside the import's write transaction (after its rows are written, before they commit), kills
it outright, waits out its lease, and runs the reaper in a second process. Processes are killed, so
this runs in the PostgreSQL pass only; the files are fixed (no randomness).
"""

import csv
import os
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.db.models import Count
from openpyxl import load_workbook

from conftest import make_id_number
from wangge.accounts.models import RoleAssignment, StaffImport, User
from wangge.accounts.staff_import.services import staff_import_create
from wangge.accounts.tests.sheets import HEADER as STAFF_HEADER
from wangge.accounts.tests.sheets import xlsx
from wangge.core.jobs.models import Job
from wangge.core.models import AuditEntry
from wangge.people.importing.service import (
    roster_import_apply,
    roster_import_preview,
    roster_import_upload,
)
from wangge.people.models import ImportBatch, ImportRecord, Person
from wangge.people.tests.roster_files import person_row, write_roster
from wangge.supplies.exports import ledger_export
from wangge.supplies.models import ItemCategory, PlaceKind, RecipientKind, StockMove
from wangge.supplies.services import stock
from wangge.supplies.services.catalogue import item_save, place_save
from wangge.testing.models import LabResult, RejectedRow, ResultImport, UnmatchedResult
from wangge.testing.services.lab.jobs import results_import_start
from wangge.tracing.exports import trace_export
from wangge.tracing.tests.api_scene import traced_scene
from wangge.venues.importing.service import venue_import_upload
from wangge.venues.models import Venue, VenueEvent, VenueImport
from wangge.venues.tests.venue_files import make_uscc, venue_row, write_venues

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="kills processes: PostgreSQL only"
    ),
    pytest.mark.django_db(transaction=True),
]

ROOT = Path(__file__).resolve().parents[1]
LEASE_SECONDS = 3
LAB_HEADER = [
    "姓名",
    "证件号码",
    "手机号",
    "采样时间",
    "采样点",
    "试管编码",
    "检测结果",
    "检测机构",
]


def lab_row(
    serial: int,
    tube: str,
    name: str = "张三",
    sampled: str = "2022-04-10 08:15",
    result: str = "阴性",
):
    return [name, make_id_number(serial), "", sampled, "阳光花园采样点", tube, result, "迪安检验"]


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def to_the_worker(settings):
    """Imports go to the worker (a roster's preview runs here), and the wake-up is left to the
    test's own processes."""
    settings.WANGGE = {**settings.WANGGE, "JOB_INLINE_MAX": {"roster.preview": 10_000}}
    with mock.patch("wangge.core.jobs.runner.job_run_task"):
        yield


def _worker(media: Path, *args: str) -> subprocess.Popen:
    database = connection.settings_dict
    env = {key: value for key, value in os.environ.items() if not key.startswith("PYTEST")}
    env |= {
        "DATABASE_URL": (
            f"postgres://{database['USER']}:{database['PASSWORD'] or ''}@{database['HOST']}:"
            f"{database['PORT'] or 5432}/{database['NAME']}"
        ),
        "JOB_WORKER_MEDIA_ROOT": str(media),
        "WANGGE_JOB_LEASE_SECONDS": str(LEASE_SECONDS),
        "WANGGE_JOB_HEARTBEAT_SECONDS": "0.5",
    }
    return subprocess.Popen(
        [sys.executable, str(ROOT / "tests" / "job_worker.py"), *args], cwd=ROOT, env=env
    )


def _wait_for(condition, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out after {seconds} s waiting for {what}")


def _kill_mid_write_then_reap(job: Job, media: Path, stall: str, tmp_path: Path) -> Job:
    marker = tmp_path / "mid-write"
    first = _worker(media, "run", str(job.pk), "--stall", stall, str(marker))
    try:
        _wait_for(marker.exists, 180, "the first worker to be mid-write")
        job.refresh_from_db()
        assert job.status == Job.Status.RUNNING and job.worker.split(":")[1] == str(first.pid)
        # its heartbeat keeps renewing the lease while its write transaction stays open
        beaten = job.heartbeat_at
        assert beaten is not None
        _wait_for(
            lambda: (Job.objects.get(pk=job.pk).heartbeat_at or beaten) > beaten,
            10,
            "a heartbeat mid-write",
        )
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=30)
    finally:
        if first.poll() is None:
            first.kill()
    assert first.returncode == -signal.SIGKILL
    # the lease, no longer renewed, runs out; then the reaper and another worker
    time.sleep(LEASE_SECONDS + 1)
    second = _worker(media, "reap")
    assert second.wait(timeout=300) == 0
    job.refresh_from_db()
    return job


def test_a_roster_import_killed_mid_write_is_completed_by_another_worker_once(
    world, media, to_the_worker, tmp_path
):
    # given a previewed roster of 300 rows, 1 of them rejected, confirmed for the worker
    carol = world.users["carol"]
    rows = [person_row(1000 + serial, f"新人{serial:03d}") for serial in range(300)]
    rows.append(person_row(2000, "错号", 身份证号="123"))
    path = write_roster(tmp_path / "花名册.xlsx", rows)
    upload = SimpleUploadedFile(path.name, path.read_bytes())
    batch = roster_import_upload(by=carol, street_name="江南街道", upload=upload)
    batch = roster_import_preview(batch=batch, by=carol)
    assert batch.status == ImportBatch.Status.PREVIEWED
    previewed = batch.counts
    assert previewed["created"] > 250 and previewed["rejected"] >= 1
    persons_before = Person.objects.count()
    batch = roster_import_apply(batch=batch, by=carol)
    job = batch.job
    assert job.status == Job.Status.QUEUED and job.kind == "roster.import"

    # when its worker is killed with every row written but not committed, and the reaper runs
    job = _kill_mid_write_then_reap(
        job, media, "wangge.people.importing.pipeline:_alert_communities", tmp_path
    )

    # then the job is done by the second worker, on its second attempt
    assert job.status == Job.Status.DONE and job.attempts == 2
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.DONE
    assert batch.counts == previewed
    # and every person was written exactly once
    assert Person.objects.count() == persons_before + previewed["created"]
    assert ImportRecord.objects.filter(batch=batch).count() == (
        previewed["created"] + previewed["updated"]
    )
    twice = Person.objects.values("id_number_hash").annotate(n=Count("pk")).filter(n__gt=1)
    assert not twice.exists()
    assert AuditEntry.objects.filter(action="import", target_id=str(batch.pk)).count() == 1


def test_a_lab_import_killed_mid_write_is_completed_by_another_worker_once(
    world, media, to_the_worker, tmp_path
):
    # given a lab file of 154 readable rows (4 of the register's persons) and 2 rejected, queued for
    # the worker
    rows = [lab_row(serial=serial, tube=f"M{serial}") for serial in range(1, 5)]
    rows += [lab_row(name=f"外人{n}", serial=5000 + n, tube=f"U{n}") for n in range(150)]
    rows += [
        lab_row(serial=1, sampled="不是时间", tube="R1"),
        lab_row(serial=2, result="", tube="R2"),
    ]
    path = tmp_path / "lab.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(LAB_HEADER)
        writer.writerows(rows)
    upload = SimpleUploadedFile(path.name, path.read_bytes())
    batch = results_import_start(upload=upload, round=None, by=world.users["carol"])
    job = batch.job
    assert job.status == Job.Status.QUEUED and job.kind == "lab.import"

    # when its worker is killed with the results written but not committed, and the reaper runs
    job = _kill_mid_write_then_reap(
        job, media, "wangge.testing.services.pooling:after_import", tmp_path
    )

    # then the job is done by the second worker, and every row counted and written exactly once
    assert job.status == Job.Status.DONE and job.attempts == 2
    batch.refresh_from_db()
    assert batch.status == ResultImport.Status.DONE
    counts = batch.counts
    assert counts["matched"] + counts["unmatched"] == 154 and counts["rejected"] == 2
    assert counts["matched"] >= 4 and counts["duplicates"] == 0
    assert LabResult.objects.count() == counts["matched"]
    assert UnmatchedResult.objects.count() == counts["unmatched"]
    assert RejectedRow.objects.count() == 2
    assert AuditEntry.objects.filter(action="import", target_id=str(batch.pk)).count() == 1
    assert not batch.file


def test_a_staff_import_killed_mid_write_is_completed_by_another_worker_once(
    world, media, to_the_worker, tmp_path
):
    # given a staff file of 12 new grid workers and 1 rejected row, queued for the worker
    rows = [[f"kill{n:02d}", f"员工{n:02d}", "", "网格员", "东社区", "第一网格"] for n in range(12)]
    rows.append(["kill99", "员工99", "", "未知角色", "东社区", "第一网格"])
    staff_import = staff_import_create(
        by=world.users["carol"],
        street=world.street,
        filename="staff.xlsx",
        content=xlsx(STAFF_HEADER, *rows),
    )
    job = staff_import.job
    assert job.status == Job.Status.QUEUED and job.kind == "staff.import"
    users_before = User.objects.count()

    # when its worker is killed with the accounts written but not committed (making the one-time
    # passwords' workbook), and the reaper runs
    job = _kill_mid_write_then_reap(
        job, media, "wangge.accounts.staff_import.services:credentials_workbook", tmp_path
    )

    # then the job is done by the second worker, and every account and grant written exactly once
    assert job.status == Job.Status.DONE and job.attempts == 2
    assert job.counts == {"created": 12, "updated": 0, "rejected": 1}
    staff_import.refresh_from_db()
    assert staff_import.status == StaffImport.Status.DONE and staff_import.credentials_sealed
    assert User.objects.count() == users_before + 12
    assert RoleAssignment.objects.filter(user__username__startswith="kill").count() == 12
    assert AuditEntry.objects.filter(action="import", target_id=str(staff_import.pk)).count() == 2


def test_a_venue_import_killed_mid_write_is_completed_by_another_worker_once(
    world, media, to_the_worker, tmp_path
):
    # given a venue file of 200 new venues (half with a USCC) and 1 rejected row, queued for the
    # worker
    rows = [
        venue_row(f"店{n:03d}", 统一社会信用代码=make_uscc(n) if n % 2 else "") for n in range(200)
    ]
    rows.append(venue_row("无类别", 类别="宇宙飞船"))
    path = write_venues(tmp_path / "场所.csv", rows)
    upload = SimpleUploadedFile(path.name, path.read_bytes())
    venue_import = venue_import_upload(by=world.users["carol"], street=world.street, upload=upload)
    job = venue_import.job
    assert job is not None and job.status == Job.Status.QUEUED and job.kind == "venues.import"

    # when its worker is killed with the venues written but not committed (writing the error
    # report), and the reaper runs
    job = _kill_mid_write_then_reap(
        job, media, "wangge.venues.importing.pipeline:write_report", tmp_path
    )

    # then the job is done by the second worker, and every venue written exactly once
    assert job.status == Job.Status.DONE and job.attempts == 2
    assert (job.counts["created"], job.counts["rejected"]) == (200, 1)
    venue_import.refresh_from_db()
    assert venue_import.status == VenueImport.Status.DONE
    assert Venue.objects.count() == 200 and VenueEvent.objects.count() == 200
    assert AuditEntry.objects.filter(action="import", target_id=str(venue_import.pk)).count() == 1


def test_a_supplies_ledger_export_killed_mid_build_is_completed_by_another_worker_once(
    world, media, tmp_path, settings
):
    # given a place whose ledger holds 40 moves, and its export asked for the worker
    alice = world.users["alice"]
    settings.WANGGE = {**settings.WANGGE, "JOB_INLINE_MAX": {"supplies.ledger": 0}}
    masks = item_save(
        by=alice,
        street=world.street,
        values={"name": "口罩", "category": ItemCategory.PROTECTION, "unit": "个"},
    )
    store = place_save(
        by=alice,
        street=world.street,
        values={"name": "街道物资仓库", "kind": PlaceKind.STREET_WAREHOUSE},
    )
    stock.receive(
        by=alice, place=store, item=masks, quantity=1000, lot="M-1", expiry=date(2030, 1, 1)
    )
    for _ in range(39):
        stock.issue(
            by=alice,
            place=store,
            item=masks,
            quantity=3,
            recipient=stock.Recipient(RecipientKind.OTHER, label="采样点"),
        )
    with mock.patch("wangge.core.jobs.runner.job_run_task"):
        job = ledger_export(by=alice, place=store, start=None, end=None, reason="screening")
    assert job.status == Job.Status.QUEUED and job.kind == "supplies.ledger"

    # when its worker is killed while it writes the rows, and the reaper runs
    job = _kill_mid_write_then_reap(job, media, "wangge.supplies.exports:move_reason", tmp_path)

    # then the second worker wrote the whole ledger, once, and the export was audited once
    assert job.status == Job.Status.DONE and job.attempts == 2
    sheet = load_workbook(media / job.result_file, read_only=True).worksheets[0]
    numbers = [row[-1] for row in sheet.iter_rows(min_row=3, values_only=True)]
    numbers = [number for number in numbers if isinstance(number, int)]  # the watermark is text
    assert sorted(numbers) == sorted(
        StockMove.objects.filter(place=store).values_list("pk", flat=True)
    )
    assert AuditEntry.objects.filter(action="export", target_id=str(job.pk)).count() == 1


def test_a_case_trace_export_killed_mid_build_is_completed_by_another_worker_once(
    world, media, tmp_path, settings
):
    # given a traced case with 3 candidates, its export for the task force asked for the worker
    settings.WANGGE = {**settings.WANGGE, "JOB_INLINE_MAX": {"tracing.case": 0}}
    scene = traced_scene(world)
    with mock.patch("wangge.core.jobs.runner.job_run_task"):
        job = trace_export(by=world.users["tracy"], case=scene.case, reason="screening")
    assert job.status == Job.Status.QUEUED and job.kind == "tracing.case"

    # when its worker is killed while it writes the candidates' evidence, and the reaper runs
    job = _kill_mid_write_then_reap(job, media, "wangge.tracing.exports:evidence_text", tmp_path)

    # then the second worker wrote every candidate and movement, once, audited once
    assert job.status == Job.Status.DONE and job.attempts == 2 and job.total == 5
    sheets = load_workbook(media / job.result_file, read_only=True).worksheets
    names = [row[2] for row in sheets[0].iter_rows(min_row=4, values_only=True)]
    assert sorted(names) == ["李四", "王五", "赵六"]
    assert AuditEntry.objects.filter(action="export", target_id=str(job.pk)).count() == 1
