"""Schedules of the measures capability (huey; embedded SQLite mode or Redis mode alike).

Each sweep is set-based and idempotent, so running it every few minutes is cheap and a missed
run is caught up by the next. The digest decides for itself whether its local time has come,
since huey's crontab reads UTC.
"""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from wangge.measures.services import (
    checkin_mark_missed,
    health_code_send_digest,
    measure_release_due,
)
from wangge.measures.services.common import rules

EVERY = crontab(minute=f"*/{rules()['MEASURE_SWEEP_MINUTES']}")


@db_periodic_task(EVERY)
def sweep_missed_checkins() -> dict[str, int]:
    return checkin_mark_missed()


@db_periodic_task(EVERY)
def release_due_measures() -> dict[str, int]:
    return measure_release_due()


@db_periodic_task(EVERY)
def send_health_code_digest() -> int:
    digest = health_code_send_digest()
    return digest.recipients if digest else 0
