"""Staff import as services: register the upload, run it as a job (by the worker, or in the
command line's process), hand out the one-time passwords once.

Counting: `created` = accounts new to the deployment, `updated` = existing accounts that gained at
least one role, `rejected` = rows rejected (each with row, column and reason). A row whose role the
account already holds changes nothing, so importing the same file again gives created 0, updated 0.
Hashing a password takes a fifth of a second by design, so hundreds of new accounts are hashed in
a thread pool, in the job's plan, before the one transaction that writes them.
"""

import base64
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wangge.accounts.authority import user_can
from wangge.accounts.grants import SYSTEM, Actor
from wangge.accounts.models import StaffImport, User
from wangge.accounts.services import grant_label, one_time_password, role_grant, role_held
from wangge.accounts.staff_import.reader import (
    CheckedRows,
    StaffImportError,
    check_staff_rows,
    read_staff_sheet,
)
from wangge.accounts.staff_import.workbooks import credentials_workbook
from wangge.core import crypto
from wangge.core.jobs.importer import register_importer
from wangge.core.jobs.models import Job
from wangge.core.jobs.runner import JobFailed, job_start
from wangge.core.jobs.services import job_create
from wangge.core.origin import Origin
from wangge.core.services import audit_record
from wangge.regions.models import Street


@dataclass
class StaffImportResult:
    created: int
    updated: int
    rejected: int
    errors: list[dict[str, Any]]
    credentials: bytes | None

    @property
    def counts(self) -> dict[str, int]:
        return {"created": self.created, "updated": self.updated, "rejected": self.rejected}


def staff_import_create(
    *,
    by: Actor,
    street: Street,
    filename: str,
    content: bytes,
    origin: Origin = Origin.SYSTEM,
    command: str = "",
) -> StaffImport:
    """Read the file (a file that cannot be read raises StaffImportError), record the import and
    its job, and hand the job to a worker once this transaction commits; a management command's
    (`command`, run by SYSTEM or the user it names) runs in its process once it is recorded."""
    with transaction.atomic():
        if not user_can(by, "manage_staff", street):
            raise PermissionDenied(_("您无权导入工作人员 / you may not import staff"))
        rows = read_staff_sheet(content)
        owner = by if isinstance(by, User) else None
        job = job_create(
            kind="staff.import", owner=owner, total=len(rows), origin=origin, command=command
        )
        staff_import = StaffImport.objects.create(
            street=street, created_by=owner, original_name=filename[:200], rows=rows, job=job
        )
        audit_record(
            actor=by,
            action="import",
            target=staff_import,
            changes={"file": filename[:200], "rows": len(rows)},
            origin=origin,
        )
        if not command:
            transaction.on_commit(lambda: job_start(job, size=len(rows)))
    if command:
        job_start(job, size=len(rows), here=True)
        staff_import.refresh_from_db()
    return staff_import


def _hash_all(passwords: list[str]) -> list[str]:
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        return list(pool.map(make_password, passwords))


def _write(
    by: Any, checked: CheckedRows, hashes: dict[str, str]
) -> tuple[int, int, dict[str, list[str]]]:
    users: dict[str, User] = dict(checked.existing)
    names: dict[str, str] = {}
    phones: dict[str, str] = {}
    for row in checked.valid:
        names[row.username] = names.get(row.username) or row.full_name
        phones[row.username] = phones.get(row.username) or row.phone
    for username, password_hash in hashes.items():
        user = User(
            username=username,
            full_name=names[username],
            phone=phones[username],
            must_change_password=True,
            password=password_hash,
        )
        user.save()
        users[username] = user
        audit_record(
            actor=by,
            action="create",
            target=user,
            changes={
                "username": username,
                "full_name": user.full_name,
                "phone": bool(user.phone),
            },
        )
    granted: dict[str, list[str]] = {}
    for row in checked.valid:
        user = users[row.username]
        if role_held(user, row.role, row.area):
            continue
        role_grant(by=by, user=user, role=row.role, area=row.area)
        granted.setdefault(row.username, []).append(grant_label(row.role, row.area))
    updated = sum(1 for username in granted if username in checked.existing)
    return len(hashes), updated, granted


@dataclass
class StaffRun:
    """An import as its job goes: who imports and the rows; once planned, the rows checked and
    the new accounts' passwords, hashed; or why it cannot run. No actor when the import is no
    longer pending or running (a job run again after its worker died)."""

    staff_import: StaffImport
    by: Actor | None = None
    checked: CheckedRows | None = None
    passwords: dict[str, str] = field(default_factory=dict)
    hashes: dict[str, str] = field(default_factory=dict)
    error: str = ""


class StaffImporter:
    """The staff import's format, run as a job by core.jobs.importer. The rows were read at the
    upload; the plan checks them and hashes the new accounts' passwords (a fifth of a second
    each, in a thread pool) before the one transaction that writes them. The importer is the
    import's creator, or SYSTEM when the command line asked for it (Job.command)."""

    def parse(self, job: Job) -> StaffRun:
        staff_import = StaffImport.objects.select_related("street", "created_by").get(job=job)
        if staff_import.status not in {StaffImport.Status.PENDING, StaffImport.Status.RUNNING}:
            return StaffRun(staff_import)
        StaffImport.objects.filter(pk=staff_import.pk, status=StaffImport.Status.PENDING).update(
            status=StaffImport.Status.RUNNING
        )
        by = staff_import.created_by or (SYSTEM if job.command else None)
        if by is None:
            return StaffRun(
                staff_import, error=_("导入人的账号已删除 / the importer's account was deleted")
            )
        return StaffRun(staff_import, by=by)

    def plan(self, job: Job, rows: StaffRun) -> StaffRun:
        if rows.by is None or rows.error:
            return rows
        staff_import = rows.staff_import
        checked = check_staff_rows(by=rows.by, street=staff_import.street, rows=staff_import.rows)
        new_names = sorted({row.username for row in checked.valid} - set(checked.existing))
        rows.checked = checked
        rows.passwords = {username: one_time_password() for username in new_names}
        hashed = _hash_all([rows.passwords[u] for u in new_names])
        rows.hashes = dict(zip(new_names, hashed, strict=True))
        return rows

    def write(self, job: Job, plan: StaffRun) -> dict[str, Any]:
        """The accounts, the grants, the sealed passwords and the import's "done", in one
        transaction that begins by locking the import: a run that finds it no longer running
        (done by an earlier run) writes nothing. An account created by hand since the plan, under
        a name it creates, fails the import with nothing written (the database refuses the name)."""
        pk = plan.staff_import.pk
        try:
            with transaction.atomic():
                locked = StaffImport.objects.select_for_update().get(pk=pk)
                if locked.status == StaffImport.Status.RUNNING:
                    if plan.checked is None or plan.by is None:
                        raise PermissionDenied(plan.error)
                    _finish(plan, _write(plan.by, plan.checked, plan.hashes), job.origin)
        except (PermissionDenied, IntegrityError) as error:
            _close(pk, StaffImport.Status.FAILED, message=str(error)[:500])
        locked = StaffImport.objects.get(pk=pk)
        if locked.status == StaffImport.Status.FAILED:
            raise JobFailed(locked.message)
        return locked.counts


def _finish(plan: StaffRun, written: tuple[int, int, dict[str, list[str]]], origin: Origin) -> None:
    """Seal the new accounts' one-time passwords in a workbook, mark the import done, audit it."""
    assert plan.checked is not None and plan.by is not None
    created, updated, granted = written
    checked, staff_import = plan.checked, plan.staff_import
    sealed = ""
    if plan.hashes:
        names = {row.username: row.full_name for row in checked.valid}
        workbook = credentials_workbook(
            [
                (u, names[u], plan.passwords[u], "；".join(granted.get(u, [])))
                for u in sorted(plan.hashes)
            ],
            staff_import.street.name,
        )
        sealed = crypto.seal(base64.b64encode(workbook).decode())
    counts = {"created": created, "updated": updated, "rejected": len(checked.errors)}
    _close(
        staff_import.pk,
        StaffImport.Status.DONE,
        counts=counts,
        errors=checked.errors,
        credentials_sealed=sealed,
    )
    audit_record(actor=plan.by, action="import", target=staff_import, changes=counts, origin=origin)


def _close(pk: int, status: str, **fields: Any) -> None:
    StaffImport.objects.filter(pk=pk).update(
        status=status,
        rows=[],
        finished_at=timezone.now(),
        **fields,
    )


staff_import_job = register_importer("staff.import", StaffImporter())


def staff_import_file(
    *, by: Actor, street: Street, filename: str, content: bytes, command: str = "import_staff"
) -> StaffImportResult:
    """The command line's import: an import and its job, run in this process (so it is on the job
    page and audited as an upload is), then its one-time passwords taken, once. StaffImportError
    when the file cannot be read or the import failed."""
    staff_import = staff_import_create(
        by=by, street=street, filename=filename, content=content, command=command
    )
    if staff_import.status == StaffImport.Status.FAILED:
        raise StaffImportError(staff_import.message)
    credentials = None
    if staff_import.credentials_available:
        credentials = staff_import_take_credentials(by=by, staff_import=staff_import)
    counts = staff_import.counts
    return StaffImportResult(
        counts["created"], counts["updated"], counts["rejected"], staff_import.errors, credentials
    )


@transaction.atomic
def staff_import_take_credentials(
    *, by: Any, staff_import: StaffImport, origin: Origin = Origin.SYSTEM
) -> bytes:
    """The one-time passwords, to the importer, once: the sealed copy is erased as it is handed out."""
    locked = StaffImport.objects.select_for_update().get(pk=staff_import.pk)
    if locked.created_by_id != getattr(by, "pk", None):
        raise PermissionDenied(_("只有导入人可以下载初始密码 / only the importer may download"))
    if not locked.credentials_sealed:
        raise PermissionDenied(
            _("初始密码已下载过，不能再次下载 / the one-time passwords were already downloaded")
        )
    content = base64.b64decode(crypto.unseal(locked.credentials_sealed))
    locked.credentials_sealed = ""
    locked.credentials_taken_at = timezone.now()
    locked.save(update_fields=["credentials_sealed", "credentials_taken_at"])
    audit_record(
        actor=by,
        action="export",
        target=locked,
        reason="初始密码 / one-time passwords",
        origin=origin,
    )
    return content
