"""The job lifecycle: create, claim under a lease, beat, finish or fail, reap.

Every change is one conditional UPDATE, so two workers can never both hold a job: a claim succeeds
only on a queued job or on a running one whose lease has run out, and a beat or a finish only by the
worker that holds the lease. This works the same on SQLite and PostgreSQL.
"""

import os
import socket
import uuid
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from wangge.core.jobs.models import Job
from wangge.core.origin import Origin


def lease_seconds() -> int:
    return settings.WANGGE["JOB_LEASE_SECONDS"]


def worker_name() -> str:
    """This process, as the lease names it: host, pid and a random tail (pids are reused)."""
    return f"{socket.gethostname()[:60]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def inline(kind: str, size: int) -> bool:
    """Whether a job of `kind` this big runs in the caller's process (a request, a command) rather
    than by the worker: settings.WANGGE["JOB_INLINE_MAX"][kind], in the kind's own measure (rows
    for a roster, bytes for a lab file)."""
    return size <= settings.WANGGE["JOB_INLINE_MAX"].get(kind, 0)


def job_create(
    *, kind: str, owner: Any, total: int = 0, origin: Origin = Origin.SYSTEM, command: str = ""
) -> Job:
    """A queued job. `origin` is where its request came from: the job runs without the request
    (often in the worker), so its audit entries take their address and browser from `job.origin`.
    `command` names the management command that asked for it (Job.command): a job without an
    owner runs as the system only when the command line asked for it, never because its owner's
    account was deleted."""
    params: dict[str, Any] = {}
    if origin != Origin.SYSTEM:
        params["origin"] = {"ip": origin.ip, "agent": origin.agent}
    if command:
        params["command"] = command
    return Job.objects.create(kind=kind, owner=owner, total=total, params=params)


def job_claim(job_id: int, *, worker: str, now: datetime | None = None) -> bool:
    """Take the job under a lease, once: a queued job, or a running one whose lease ran out."""
    now = now or timezone.now()
    takeable = Q(status=Job.Status.QUEUED) | Q(status=Job.Status.RUNNING, lease_until__lt=now)
    return bool(
        Job.objects.filter(takeable, pk=job_id).update(
            status=Job.Status.RUNNING,
            worker=worker,
            lease_until=now + timedelta(seconds=lease_seconds()),
            heartbeat_at=now,
            started_at=Coalesce(F("started_at"), now),
            attempts=F("attempts") + 1,
        )
    )


def job_beat(
    job_id: int, *, worker: str, done: int | None = None, total: int | None = None
) -> bool:
    """Renew the lease (and record progress); False when this worker no longer holds the job."""
    now = timezone.now()
    changes: dict[str, Any] = {
        "heartbeat_at": now,
        "lease_until": now + timedelta(seconds=lease_seconds()),
    }
    if done is not None:
        changes["done"] = done
    if total is not None:
        changes["total"] = total
    held = Job.objects.filter(pk=job_id, worker=worker, status=Job.Status.RUNNING)
    return bool(held.update(**changes))


def job_finish(
    job_id: int, *, worker: str, counts: dict | None = None, error_report: str = ""
) -> bool:
    """Mark the job done, with what it counted; only by the worker that holds it."""
    changes: dict[str, Any] = {
        "status": Job.Status.DONE,
        "finished_at": timezone.now(),
        "lease_until": None,
        "done": F("total"),
    }
    if counts is not None:
        changes["counts"] = counts
    if error_report:
        changes["error_report"] = error_report
    held = Job.objects.filter(pk=job_id, worker=worker, status=Job.Status.RUNNING)
    return bool(held.update(**changes))


def job_fail(job_id: int, *, message: str, worker: str | None = None) -> bool:
    """Mark the job failed, with why (a worker passes itself: a job it lost is not its to fail)."""
    held = Job.objects.filter(pk=job_id).exclude(status=Job.Status.DONE)
    if worker is not None:
        held = held.filter(worker=worker)
    return bool(
        held.update(
            status=Job.Status.FAILED,
            message=message[:500],
            finished_at=timezone.now(),
            lease_until=None,
        )
    )


def job_reap(*, now: datetime | None = None) -> list[int]:
    """Take back every running job whose lease ran out (its worker died or hung): queue it again
    for another worker, or fail it after settings.WANGGE["JOB_MAX_ATTEMPTS"] runs. Wake a worker
    for each job so queued, and for each job queued longer than a lease (its wake-up was lost: a
    queue emptied, a task dropped). The ids of the jobs to wake (runner.reap_and_wake wakes them)."""
    now = now or timezone.now()
    lease = timedelta(seconds=lease_seconds())
    expired = Job.objects.filter(status=Job.Status.RUNNING, lease_until__lt=now)
    expired.filter(attempts__gte=settings.WANGGE["JOB_MAX_ATTEMPTS"]).update(
        status=Job.Status.FAILED,
        message="多次运行均未完成 / the job did not finish after several tries",
        finished_at=now,
        lease_until=None,
    )
    woken: list[int] = []
    for job_id in expired.values_list("pk", flat=True):
        taken = Job.objects.filter(pk=job_id, status=Job.Status.RUNNING, lease_until__lt=now)
        if taken.update(status=Job.Status.QUEUED, worker="", lease_until=None, heartbeat_at=now):
            woken.append(job_id)
    forgotten = Job.objects.filter(status=Job.Status.QUEUED).filter(
        Q(heartbeat_at__lt=now - lease) | Q(heartbeat_at=None, created_at__lt=now - lease)
    )
    lost = list(forgotten.exclude(pk__in=woken).values_list("pk", flat=True))
    Job.objects.filter(pk__in=lost).update(heartbeat_at=now)
    return woken + lost
