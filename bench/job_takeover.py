"""Jobs at scale, a worker killed halfway: a roster import and a street's export survive SIGKILL.

    .venv/bin/python bench/job_takeover.py --rows 500000 --lease 30 --heartbeat 5

On PostgreSQL, in its own database `bench_takeover` (created when absent; its people tables are
emptied at each step). One street (江南街道) and its commander are seeded. Each job runs in a real
worker process of its own (tests/job_worker.py, as tests/test_job_sigkill.py runs them), under the
job lifecycle's lease and heartbeat (WANGGE_JOB_LEASE_SECONDS, WANGGE_JOB_HEARTBEAT_SECONDS).

1. import, unkilled: a roster of --rows rows (bench/make_roster.py, seed 1) taken in as the command
   line takes it (`roster_import_file`: its batch and its "roster.import" job), except that the job
   is left queued for a worker instead of run in this process; the worker runs it to the end. Its
   steps are timed from the job's progress field (parse → a third, plan → two thirds, then the
   write in one transaction).
2. import, killed: the people tables emptied, the same file again; the worker is killed with
   SIGKILL halfway through the write — when the job's progress says the write began (two thirds),
   plus half the write's duration in step 1. The worker's open transaction at that moment and the
   person table's size (uncommitted rows take pages) are recorded. When the lease has run out, a
   second worker runs the reaper (as the periodic task does), takes the job and runs it again.
3. export: the street's commander asks for the roster export (`person_export`, full identifiers)
   of the persons step 2 left; its worker is killed when the job's progress passes half the rows;
   the reaper's worker takes the job and writes the file.

Checks: persons = the rows the file's import created in the unkilled run, no ID number twice,
import records and the batch complete, one audit entry; the export is one file whose rows are the
persons, each once, and nothing else in the job's folder. Takeover = kill → the second worker's
claim of the job, split into the lease left at the kill and the reaper worker's start. Prints one
JSON object (also bench/out/job-takeover/result.json); steps as they finish on stderr.
"""

import argparse
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from unittest import mock

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out" / "job-takeover"
DATABASE_URL = "postgres://postgres@127.0.0.1:5432/bench_takeover"
STREET = "江南街道"
COMMANDER = "bench-takeover-commander"
POLL = 0.1
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]


def ready(lease: int, heartbeat: float) -> None:
    os.environ["DATABASE_URL"] = DATABASE_URL
    os.environ["WANGGE_VAR_DIR"] = str(OUT / "var")
    os.environ["WANGGE_JOB_LEASE_SECONDS"] = str(lease)
    os.environ["WANGGE_JOB_HEARTBEAT_SECONDS"] = str(heartbeat)
    from testing_district import setup_django

    setup_django()


def reset() -> None:
    """Empty what an import writes (areas below the street, households, persons, batches, jobs and
    the tables that point at them) and seed the street and its commander again."""
    from django.db import connection

    from wangge.core.jobs.models import Job
    from wangge.people.models import ImportBatch, Person
    from wangge.regions.models import Community, Household

    tables = [model._meta.db_table for model in (Community, Household, Person, ImportBatch, Job)]
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {', '.join(tables)} CASCADE")
    seed()


def seed() -> Any:
    from wangge.accounts.models import RoleAssignment, User
    from wangge.core.roles import Role
    from wangge.regions.models import Street

    street, _ = Street.objects.get_or_create(name=STREET, defaults={"area_code": "0571"})
    commander = User.objects.filter(username=COMMANDER).first()
    if commander is None:
        commander = User.objects.create_user(COMMANDER, password=COMMANDER, full_name="指挥长")
    RoleAssignment.objects.get_or_create(user=commander, role=Role.COMMANDER, street=street)
    return commander


def worker(*args: str) -> subprocess.Popen:
    """A job worker process of its own (tests/job_worker.py) on this database and media folder."""
    from django.conf import settings

    env = os.environ | {"JOB_WORKER_MEDIA_ROOT": str(settings.MEDIA_ROOT)}
    log = (OUT / "workers.log").open("a")
    return subprocess.Popen(
        [sys.executable, str(ROOT / "tests" / "job_worker.py"), *args],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=log,
    )


def job_row(job_id: int) -> Any:
    from wangge.core.jobs.models import Job

    return Job.objects.get(pk=job_id)


def wait_until(condition, what: str, seconds: float = 3600) -> float:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise SystemExit(f"timed out waiting for {what}")
        time.sleep(POLL)
    return time.monotonic()


def queued_import(path: Path) -> int:
    """The command line's batch and job for the file, left queued for a worker."""
    from wangge.people.importing.service import roster_import_file
    from wangge.people.models import ImportBatch

    with mock.patch("wangge.people.importing.service.job_start"):
        roster_import_file(path=path, street_name=STREET)
    job = ImportBatch.objects.get().job
    assert job is not None and job.status == "queued"
    return job.pk


def write_state() -> dict[str, Any]:
    """The open write transactions on the database and the person table's size on disk."""
    from django.db import connection

    from wangge.people.models import Person

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*), max(extract(epoch FROM now() - xact_start)) FROM pg_stat_activity"
            " WHERE datname = current_database() AND backend_xid IS NOT NULL AND pid <> "
            "pg_backend_pid()"
        )
        writers, open_for = cursor.fetchone()
        cursor.execute("SELECT pg_relation_size(%s)", [Person._meta.db_table])
        (size,) = cursor.fetchone()
    return {
        "open_write_transactions": writers,
        "write_transaction_open_s": round(float(open_for or 0), 1),
        "person_table_mb": round(size / 2**20, 1),
    }


def run_import(path: Path) -> dict[str, Any]:
    """Step 1: the import run to the end by one worker, its steps timed from the progress field."""
    reset()
    job_id = queued_import(path)
    started = time.monotonic()
    process = worker("run", str(job_id))
    marks: dict[str, float] = {}
    while process.poll() is None:
        job = job_row(job_id)
        if job.total and job.done >= job.total // 3:
            marks.setdefault("parsed", time.monotonic())
        if job.total and job.done >= 2 * job.total // 3:
            marks.setdefault("planned", time.monotonic())
        time.sleep(POLL)
    finished = time.monotonic()
    assert process.returncode == 0 and job_row(job_id).status == "done"
    result = {
        "seconds": round(finished - started, 1),
        "parse_s": round(marks["parsed"] - started, 1),
        "plan_s": round(marks["planned"] - marks["parsed"], 1),
        "write_s": round(finished - marks["planned"], 1),
    }
    return result | import_checks(job_id)


def import_checks(job_id: int) -> dict[str, Any]:
    from django.db.models import Count

    from wangge.core.models import AuditEntry
    from wangge.people.models import ImportBatch, ImportRecord, Person
    from wangge.regions.models import Household

    job = job_row(job_id)
    batch = ImportBatch.objects.get(job=job)
    twice = Person.objects.values("id_number_hash").annotate(n=Count("pk")).filter(n__gt=1)
    return {
        "job": {"status": job.status, "attempts": job.attempts},
        "batch": {"status": batch.status, "rows": batch.rows_total, **batch.counts},
        "persons": Person.objects.count(),
        "households": Household.objects.count(),
        "import_records": ImportRecord.objects.filter(batch=batch).count(),
        "id_numbers_twice": twice.count(),
        "batches_not_done": ImportBatch.objects.exclude(status="done").count(),
        "import_audits": AuditEntry.objects.filter(
            action="import", target_id=str(batch.pk)
        ).count(),
    }


def kill_and_take_over(job_id: int, process: subprocess.Popen) -> dict[str, Any]:
    """SIGKILL the worker; when its lease has run out, a second worker runs the reaper, which
    gives it the job. The times: kill → lease out → the second worker's claim → done."""
    from django.utils import timezone

    from wangge.people.models import Person

    at_kill = write_state()
    process.send_signal(signal.SIGKILL)
    killed = time.monotonic()
    process.wait()
    job = job_row(job_id)
    assert job.status == "running" and job.attempts == 1
    lease_left = (job.lease_until - timezone.now()).total_seconds()
    done_at_kill = {"done": job.done, "total": job.total}
    after_kill = write_state() | {"persons_committed": Person.objects.count()}
    wait_until(lambda: timezone.now() > job.lease_until, "the lease to run out")
    reaper_started = time.monotonic()
    second = worker("reap")
    claimed = wait_until(lambda: job_row(job_id).attempts == 2, "the second worker's claim")
    assert second.wait() == 0
    finished = time.monotonic()
    return {
        "progress_at_kill": done_at_kill,
        "at_kill": at_kill,
        "after_kill": after_kill,
        "lease_left_at_kill_s": round(lease_left, 1),
        "reaper_start_to_claim_s": round(claimed - reaper_started, 1),
        "takeover_s": round(claimed - killed, 1),
        "second_run_s": round(finished - claimed, 1),
        "_killed": killed,
        "_finished": finished,
    }


def killed_import(path: Path, unkilled: dict[str, Any]) -> dict[str, Any]:
    """Step 2: the same import, its worker killed halfway through the write."""
    reset()
    job_id = queued_import(path)
    started = time.monotonic()
    process = worker("run", str(job_id))
    writing = wait_until(lambda: job_row(job_id).done >= 2 * job_row(job_id).total // 3, "write")
    time.sleep(max(0.0, writing + unkilled["write_s"] / 2 - time.monotonic()))
    assert process.poll() is None, "the worker finished before the kill"
    taken = kill_and_take_over(job_id, process)
    result = {
        "kill_after_s": round(taken.pop("_killed") - started, 1),
        "seconds": round(taken.pop("_finished") - started, 1),
        **taken,
    }
    return result | import_checks(job_id)


def killed_export(commander: Any) -> dict[str, Any]:
    """Step 3: the street's export, its worker killed when it has written half the rows."""
    from django.conf import settings
    from python_calamine import CalamineWorkbook

    from wangge.core.models import AuditEntry
    from wangge.people.exporting import person_export
    from wangge.people.models import Person

    with mock.patch("wangge.core.jobs.runner.job_run_task"):
        job = person_export(by=commander, reason="screening")
    assert job.status == "queued"
    folder = Path(settings.MEDIA_ROOT) / "exports" / str(job.pk)
    started = time.monotonic()
    process = worker("run", str(job.pk))

    def halfway() -> bool:
        row = job_row(job.pk)
        return row.total > 0 and 2 * row.done >= row.total

    wait_until(halfway, "half the export")
    files_at_kill = sorted(p.name for p in folder.iterdir()) if folder.exists() else []
    taken = kill_and_take_over(job.pk, process)
    job = job_row(job.pk)
    files = sorted(p.name for p in folder.iterdir())
    rows = CalamineWorkbook.from_path(str(folder / files[0])).get_sheet_by_index(0).to_python()
    id_numbers = [row[2] for row in rows[2:]]  # under the watermark and the header
    persons = Person.objects.count()
    return {
        "kill_after_s": round(taken.pop("_killed") - started, 1),
        "seconds": round(taken.pop("_finished") - started, 1),
        **taken,
        "job": {"status": job.status, "attempts": job.attempts, "counts": job.counts},
        "files_at_kill": files_at_kill,
        "files": files,
        "result_file_is_the_one_file": files == [Path(job.result_file).name],
        "persons": persons,
        "rows_in_file": len(id_numbers),
        "distinct_id_numbers_in_file": len(set(id_numbers)),
        "export_audits": AuditEntry.objects.filter(action="export", target_id=str(job.pk)).count(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=500_000)
    parser.add_argument("--lease", type=int, default=120, help="seconds (production: 120)")
    parser.add_argument("--heartbeat", type=float, default=20, help="seconds (production: 20)")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    from make_roster import make_roster

    path = make_roster(args.rows, 1, OUT / f"roster-{args.rows}-1.xlsx")
    ready(args.lease, args.heartbeat)
    load = [round(x, 1) for x in os.getloadavg()]
    result: dict[str, Any] = {
        "bench": "job_takeover",
        "rows_in_file": args.rows,
        "lease_s": args.lease,
        "heartbeat_s": args.heartbeat,
    }
    for name, step in (
        ("import_unkilled", lambda: run_import(path)),
        ("import_killed", lambda: killed_import(path, result["import_unkilled"])),
        ("export_killed", lambda: killed_export(seed())),
    ):
        result[name] = step()
        print(name, json.dumps(result[name], ensure_ascii=False), file=sys.stderr, flush=True)
    import resource

    result["largest_worker_peak_rss_mb"] = round(
        resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    )
    result["load_average"] = [load, [round(x, 1) for x in os.getloadavg()]]
    (OUT / "result.json").write_text(json.dumps(result, ensure_ascii=False, indent=1))
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
