"""Staff import as services: register the upload, run it (a task, or the command line), hand out
the one-time passwords once.

Counting: `created` = accounts new to the deployment, `updated` = existing accounts that gained at
least one role, `rejected` = rows rejected (each with row, column and reason). A row whose role the
account already holds changes nothing, so importing the same file again gives created 0, updated 0.
Hashing a password takes a fifth of a second by design, so hundreds of new accounts are hashed in
a thread pool before the one transaction that writes them, with progress on the import's page.
"""

import base64
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wangge.accounts.authority import user_can
from wangge.accounts.models import StaffImport, User
from wangge.accounts.services import grant_label, one_time_password, role_grant, role_held
from wangge.accounts.staff_import.reader import CheckedRows, check_staff_rows, read_staff_sheet
from wangge.accounts.staff_import.workbooks import credentials_workbook
from wangge.core import crypto
from wangge.core.jobs.models import Job
from wangge.core.jobs.runner import Beat, JobFailed, job_start, register
from wangge.core.jobs.services import job_create
from wangge.core.origin import Origin
from wangge.core.services import audit_record
from wangge.regions.models import Street

PROGRESS_EVERY = 10


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


@transaction.atomic
def staff_import_create(
    *, by: Any, street: Street, filename: str, content: bytes, origin: Origin = Origin.SYSTEM
) -> StaffImport:
    """Read the file (a file that cannot be read raises StaffImportError), record the import and
    its job, and hand the job to a worker once this transaction commits."""
    if not user_can(by, "manage_staff", street):
        raise PermissionDenied(_("您无权导入工作人员 / you may not import staff"))
    rows = read_staff_sheet(content)
    job = job_create(kind="staff.import", owner=by, total=len(rows), origin=origin)
    staff_import = StaffImport.objects.create(
        street=street,
        created_by=by,
        original_name=filename[:200],
        rows=rows,
        job=job,
    )
    audit_record(
        actor=by,
        action="import",
        target=staff_import,
        changes={"file": filename[:200], "rows": len(rows)},
        origin=origin,
    )
    transaction.on_commit(lambda: job_start(job, size=len(rows)))
    return staff_import


Progress = Callable[[int, int], None]


def _no_progress(done: int, total: int) -> None:
    """Progress is shown on the import's page; the command line has none."""


def _hash_all(passwords: list[str], progress: Progress) -> list[str]:
    hashes: list[str] = []
    progress(0, len(passwords))
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        for done, hashed in enumerate(pool.map(make_password, passwords), start=1):
            hashes.append(hashed)
            if done % PROGRESS_EVERY == 0:
                progress(done, len(passwords))
    return hashes


@transaction.atomic
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


def staff_import_apply(
    *,
    by: Any,
    street: Street,
    rows: list[dict[str, Any]],
    progress: Progress = _no_progress,
    claim: Callable[[], bool] = lambda: True,
    finish: Callable[[StaffImportResult], None] = lambda result: None,
) -> StaffImportResult | None:
    """Check every row, then write the valid ones in one transaction (each grant audited).

    The transaction begins with `claim()` (None and nothing written when it answers False) and ends
    with `finish(result)`: a queued import marks itself done there, so a run taken over from a
    worker that died either wrote everything and said so, or nothing."""
    checked = check_staff_rows(by=by, street=street, rows=rows)
    new_names = sorted({row.username for row in checked.valid} - set(checked.existing))
    passwords = {username: one_time_password() for username in new_names}
    hashes = dict(
        zip(new_names, _hash_all([passwords[u] for u in new_names], progress), strict=True)
    )
    with transaction.atomic():
        if not claim():
            return None
        created, updated, granted = _write(by, checked, hashes)
        credentials = None
        if new_names:
            names = {row.username: row.full_name for row in checked.valid}
            credentials = credentials_workbook(
                [(u, names[u], passwords[u], "；".join(granted.get(u, []))) for u in new_names],
                street.name,
            )
        result = StaffImportResult(
            created, updated, len(checked.errors), checked.errors, credentials
        )
        finish(result)
    return result


def staff_import_file(
    *, by: Any, street: Street, filename: str, content: bytes
) -> StaffImportResult:
    """Import a file at once (the command line): read, check, write, audit."""
    result = staff_import_apply(by=by, street=street, rows=read_staff_sheet(content))
    assert result is not None  # no claim: always written
    audit_record(
        actor=by,
        action="import",
        target_type="accounts.staffimport",
        target_label=f"{street.name}: {filename}"[:200],
        changes=result.counts,
    )
    return result


def staff_import_run(
    *, staff_import: StaffImport, beat: Progress = _no_progress, origin: Origin = Origin.SYSTEM
) -> StaffImport:
    """Run a queued import (its job, with the upload's `origin`): progress, counts, errors and
    sealed credentials. The accounts
    and the import's "done" are written in one transaction; a run that finds the import no longer
    pending or running (done by an earlier run) writes nothing."""
    by = staff_import.created_by
    pk = staff_import.pk
    StaffImport.objects.filter(pk=pk, status=StaffImport.Status.PENDING).update(
        status=StaffImport.Status.RUNNING
    )

    def claim() -> bool:
        locked = StaffImport.objects.select_for_update().get(pk=pk)
        return locked.status == StaffImport.Status.RUNNING

    def finish(result: StaffImportResult) -> None:
        sealed = ""
        if result.credentials:
            sealed = crypto.seal(base64.b64encode(result.credentials).decode())
        _close(
            pk,
            StaffImport.Status.DONE,
            counts=result.counts,
            errors=result.errors,
            credentials_sealed=sealed,
        )
        audit_record(
            actor=by, action="import", target=staff_import, changes=result.counts, origin=origin
        )

    try:
        if by is None:
            raise PermissionDenied(_("导入人的账号已删除 / the importer's account was deleted"))
        staff_import_apply(
            by=by,
            street=staff_import.street,
            rows=staff_import.rows,
            progress=beat,
            claim=claim,
            finish=finish,
        )
    except (PermissionDenied, IntegrityError) as error:
        _close(pk, StaffImport.Status.FAILED, message=str(error)[:500])
    staff_import.refresh_from_db()
    return staff_import


def _close(pk: int, status: str, **fields: Any) -> None:
    StaffImport.objects.filter(pk=pk).update(
        status=status,
        rows=[],
        finished_at=timezone.now(),
        **fields,
    )


@register("staff.import")
def staff_import_job(job: Job, beat: Beat) -> dict[str, int]:
    staff_import = StaffImport.objects.select_related("street", "created_by").get(job=job)
    if staff_import.status in {StaffImport.Status.PENDING, StaffImport.Status.RUNNING}:
        staff_import = staff_import_run(staff_import=staff_import, beat=beat, origin=job.origin)
    if staff_import.status == StaffImport.Status.FAILED:
        raise JobFailed(staff_import.message)
    return staff_import.counts


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
