from huey.contrib.djhuey import db_task

from wangge.accounts.models import StaffImport
from wangge.accounts.staff_import_services import staff_import_run


@db_task()
def run_staff_import(import_id: int) -> None:
    staff_import = StaffImport.objects.select_related("street", "created_by").get(pk=import_id)
    staff_import_run(staff_import=staff_import)
