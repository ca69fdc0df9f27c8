"""Running a job: the handler its kind registered, under a lease kept alive by a heartbeat.

An app registers one handler per kind at start-up (its AppConfig.ready), as
`@register("roster.import")`. A handler is given the job and a `beat(done, total)` to report
progress; it returns the counts to store, or raises JobFailed with a message for the user. A
handler must be safe to run again: the reaper hands a job whose worker died to another worker,
so the handler's write commits its own "done" mark in the same transaction as its rows, and a
second run that finds that mark writes nothing.

The worker's side lives here too: a huey task only says "look at job N" (the job's state is in the
database, so a task lost with a killed worker loses nothing), and the reaper runs every minute.
"""

import logging
import threading
from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connection
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from wangge.core.jobs.models import Job
from wangge.core.jobs.services import (
    inline,
    job_beat,
    job_claim,
    job_fail,
    job_finish,
    job_reap,
    worker_name,
)

logger = logging.getLogger(__name__)

Beat = Callable[[int, int], None]
Handler = Callable[[Job, Beat], dict[str, Any] | None]

HANDLERS: dict[str, Handler] = {}


class JobFailed(Exception):
    """The job cannot be done (an unreadable file, …): it is marked failed with this message."""


def register(kind: str) -> Callable[[Handler], Handler]:
    def decorator(handler: Handler) -> Handler:
        HANDLERS[kind] = handler
        return handler

    return decorator


class _Heartbeat(threading.Thread):
    """Renews the lease every JOB_HEARTBEAT_SECONDS on a connection of its own, so the lease stays
    held while the job's own connection is inside a long transaction (whose writes nobody sees)."""

    def __init__(self, job_id: int, worker: str) -> None:
        super().__init__(name=f"job-{job_id}-heartbeat", daemon=True)
        self.job_id, self.worker = job_id, worker
        self.stopping = threading.Event()

    def run(self) -> None:
        used = False
        try:
            while not self.stopping.wait(settings.WANGGE["JOB_HEARTBEAT_SECONDS"]):
                used = True
                try:
                    if not job_beat(self.job_id, worker=self.worker):
                        return
                except DatabaseError:
                    # SQLite's one writer may be the job's own transaction: try again next beat.
                    logger.warning("job %s: heartbeat not written", self.job_id, exc_info=True)
        finally:
            if used:
                connection.close()


def run_job(job_id: int, *, worker: str | None = None) -> Job | None:
    """Claim the job and run its handler; None when another worker holds it or it is finished."""
    worker = worker or worker_name()
    if not job_claim(job_id, worker=worker):
        return None
    job = Job.objects.get(pk=job_id)
    handler = HANDLERS[job.kind]

    def beat(done: int, total: int) -> None:
        job_beat(job_id, worker=worker, done=done, total=max(total, done))

    heartbeat = _Heartbeat(job_id, worker)
    heartbeat.start()
    try:
        counts = handler(job, beat)
    except JobFailed as error:
        job_fail(job_id, message=str(error), worker=worker)
    except Exception as error:
        job_fail(job_id, message=f"运行失败 / the job failed: {error}", worker=worker)
        raise
    else:
        job_finish(job_id, worker=worker, counts=counts)
    finally:
        heartbeat.stopping.set()
        heartbeat.join()
    job.refresh_from_db()
    return job


def job_start(job: Job, *, size: int, here: bool = False) -> bool:
    """Run the job now, in this process, when it is small for its kind; else wake a worker. The
    decision is the kind's setting (services.inline), never a view's; `here` runs it in this
    process whatever its size, for a management command that waits for its import. Whether it
    ran here.

    Called with the job committed (outside any transaction), so that the worker woken finds it; a
    wake-up lost all the same is repeated by the reaper (reap_and_wake)."""
    if here or inline(job.kind, size):
        run_job(job.pk)
        return True
    job_run_task(job.pk)
    return False


@db_task()
def job_run_task(job_id: int) -> None:
    run_job(job_id)


def reap_and_wake(*, now: datetime | None = None) -> list[int]:
    """Take back the jobs whose worker stopped beating (services.job_reap) and wake a worker for
    each job so queued. The ids of the jobs woken."""
    woken = job_reap(now=now)
    for job_id in woken:
        job_run_task(job_id)
    return woken


@db_periodic_task(crontab(minute="*"))
def jobs_reap() -> list[int]:
    """Every minute: jobs whose worker stopped beating go to another worker."""
    return reap_and_wake()
