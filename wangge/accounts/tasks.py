"""Background work: a staff import is written by the task worker, not during the upload. The queue
lives here, beside the task, so that the import's services never import their own caller."""

from typing import Any

from django.db import transaction
from huey.contrib.djhuey import db_task

from wangge.accounts.models import StaffImport
from wangge.accounts.staff_import_services import staff_import_create, staff_import_run


@db_task()
def run_staff_import(import_id: int) -> None:
    staff_import = StaffImport.objects.select_related("street", "created_by").get(pk=import_id)
    staff_import_run(staff_import=staff_import)


@transaction.atomic
def staff_import_queue(**arguments: Any) -> StaffImport:
    """Create the import (staff_import_create's arguments) and hand it to the worker on commit."""
    staff_import = staff_import_create(**arguments)
    transaction.on_commit(lambda: run_staff_import(staff_import.pk))
    return staff_import
