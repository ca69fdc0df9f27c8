"""Background work of the register (huey): previewing and importing large roster files.

Task arguments are ids, not model instances (docs/adr/0001-task-queue.md).
"""

from huey.contrib.djhuey import db_task

from wangge.accounts.models import User
from wangge.people.importing.service import roster_import_preview, roster_import_run
from wangge.people.models import ImportBatch


@db_task()
def roster_preview_task(batch_id: int, user_id: int) -> None:
    batch = ImportBatch.objects.get(pk=batch_id)
    roster_import_preview(batch=batch, by=User.objects.get(pk=user_id))


@db_task()
def roster_import_task(batch_id: int, user_id: int) -> None:
    batch = ImportBatch.objects.get(pk=batch_id)
    roster_import_run(batch=batch, by=User.objects.get(pk=user_id))
