"""Upkeep that the task worker (`manage.py run_huey`) runs on a schedule.

huey evaluates crontabs in UTC: 19:30 UTC is 03:30 in Asia/Shanghai, a quiet hour for a street.
"""

from datetime import timedelta

from django.conf import settings
from django.db import connection
from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from wangge.core.exports import export_purge
from wangge.core.jobs.runner import job_run_task, jobs_reap
from wangge.core.partitions import partitions_ensure_all
from wangge.core.services import alert_purge_read

__all__ = ["alerts_purge_read", "exports_purge", "job_run_task", "jobs_reap", "partitions_ahead"]


@db_periodic_task(crontab(hour="19", minute="30"))
def alerts_purge_read() -> int:
    """Every night: delete alerts read more than WANGGE["ALERT_RETENTION_DAYS"] days ago."""
    return alert_purge_read(older_than=timedelta(days=int(settings.WANGGE["ALERT_RETENTION_DAYS"])))


@db_periodic_task(crontab(minute="15"))
def exports_purge() -> int:
    """Every hour: delete the files of exports older than WANGGE["EXPORT_RETENTION_HOURS"]."""
    return export_purge()


@db_periodic_task(crontab(hour="19", minute="20"))
def partitions_ahead() -> int:
    """Every night: the day partitions of the coming week (`core.partitions`), PostgreSQL only."""
    return partitions_ensure_all(connection, timezone.localdate())
