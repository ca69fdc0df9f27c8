"""Background work of the command centre (huey): the every-minute deadline sweep. Large
verification lists are read by a job (services.verification_jobs.verification_list_job)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from wangge.command.services.escalation import deadline_sweep


@db_periodic_task(crontab(minute="*"))
def watch_deadlines() -> dict[str, int]:
    """Missed task stages and overdue verification rows, every minute."""
    return deadline_sweep()
