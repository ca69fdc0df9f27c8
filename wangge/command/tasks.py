"""Background work of the command centre (huey): the every-minute deadline sweep and the import of
large verification lists."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from wangge.command.services.escalation import deadline_sweep


@db_periodic_task(crontab(minute="*"))
def watch_deadlines() -> dict[str, int]:
    """Missed task stages and overdue verification rows, every minute."""
    return deadline_sweep()


@db_task()
def process_verification_list(list_id: int) -> None:
    from wangge.command.models import VerificationList
    from wangge.command.services.verification import verification_list_process

    vlist = VerificationList.objects.filter(pk=list_id).first()
    if vlist is not None:
        verification_list_process(vlist=vlist)
