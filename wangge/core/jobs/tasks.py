"""The worker's side of jobs (huey): a task wakes a worker for one job; the reaper runs every minute.

A task only says "look at job N": the job's state is in the database (core.jobs.models), so a task
lost with a killed worker loses nothing — the reaper queues the job again when its lease runs out.
"""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from wangge.core.jobs.runner import run_job
from wangge.core.jobs.services import job_reap


@db_task()
def job_run_task(job_id: int) -> None:
    run_job(job_id)


@db_periodic_task(crontab(minute="*"))
def jobs_reap() -> list[int]:
    """Every minute: jobs whose worker stopped beating go to another worker."""
    return job_reap()
