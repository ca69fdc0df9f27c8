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
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from wangge.accounts.authority import user_can
from wangge.accounts.models import StaffImport, User
from wangge.accounts.services import grant_label, one_time_password, role_grant, role_held
from wangge.accounts.staff_import import CheckedRows, check_staff_rows, read_staff_sheet
from wangge.accounts.workbooks import credentials_workbook
from wangge.core import crypto
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
    *, by: Any, street: Street, filename: str, content: bytes, request: HttpRequest | None = None
) -> StaffImport:
    """Read the file (a file that cannot be read raises StaffImportError) and record the import;
    accounts.tasks.staff_import_queue hands it to the worker."""
    if not user_can(by, "manage_staff", street):
        raise PermissionDenied(_("您无权导入工作人员 / you may not import staff"))
    rows = read_staff_sheet(content)
    staff_import = StaffImport.objects.create(
        street=street,
        created_by=by,
        original_name=filename[:200],
        rows=rows,
    )
    audit_record(
        actor=by,
        action="import",
        target=staff_import,
        changes={"file": filename[:200], "rows": len(rows)},
        origin=Origin.from_request(request),
    )
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
) -> StaffImportResult:
    """Check every row, then write the valid ones in one transaction (each grant audited)."""
    checked = check_staff_rows(by=by, street=street, rows=rows)
    new_names = sorted({row.username for row in checked.valid} - set(checked.existing))
    passwords = {username: one_time_password() for username in new_names}
    hashes = dict(
        zip(new_names, _hash_all([passwords[u] for u in new_names], progress), strict=True)
    )
    created, updated, granted = _write(by, checked, hashes)
    credentials = None
    if new_names:
        names = {row.username: row.full_name for row in checked.valid}
        credentials = credentials_workbook(
            [(u, names[u], passwords[u], "；".join(granted.get(u, []))) for u in new_names],
            street.name,
        )
    return StaffImportResult(created, updated, len(checked.errors), checked.errors, credentials)


def staff_import_file(
    *, by: Any, street: Street, filename: str, content: bytes
) -> StaffImportResult:
    """Import a file at once (the command line): read, check, write, audit."""
    result = staff_import_apply(by=by, street=street, rows=read_staff_sheet(content))
    audit_record(
        actor=by,
        action="import",
        target_type="accounts.staffimport",
        target_label=f"{street.name}: {filename}"[:200],
        changes=result.counts,
    )
    return result


def staff_import_run(*, staff_import: StaffImport) -> StaffImport:
    """Run a queued import (from the task): progress, counts, errors and sealed credentials."""
    by = staff_import.created_by
    StaffImport.objects.filter(pk=staff_import.pk).update(status=StaffImport.Status.RUNNING)

    def progress(done: int, total: int) -> None:
        StaffImport.objects.filter(pk=staff_import.pk).update(
            progress_done=done, progress_total=total
        )

    try:
        if by is None:
            raise PermissionDenied(_("导入人的账号已删除 / the importer's account was deleted"))
        result = staff_import_apply(
            by=by, street=staff_import.street, rows=staff_import.rows, progress=progress
        )
    except (PermissionDenied, IntegrityError) as error:
        staff_import.status = StaffImport.Status.FAILED
        staff_import.message = str(error)[:500]
    else:
        staff_import.status = StaffImport.Status.DONE
        staff_import.counts = result.counts
        staff_import.errors = result.errors
        if result.credentials:
            staff_import.credentials_sealed = crypto.seal(
                base64.b64encode(result.credentials).decode()
            )
        audit_record(actor=by, action="import", target=staff_import, changes=result.counts)
    staff_import.rows = []
    staff_import.progress_total = max(staff_import.progress_total, 1)
    staff_import.progress_done = staff_import.progress_total
    staff_import.finished_at = timezone.now()
    staff_import.save()
    return staff_import


@transaction.atomic
def staff_import_take_credentials(
    *, by: Any, staff_import: StaffImport, request: HttpRequest | None = None
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
        origin=Origin.from_request(request),
    )
    return content
