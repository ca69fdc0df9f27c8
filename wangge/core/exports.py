"""Exports as jobs: asked for with a purpose (audited at once), written by the job's handler into a
file that only its owner may download, until it expires (docs/adr/0012-job-lifecycle.md).

An app registers each kind of export once (`@export_kind("people.roster", size=…)`): a builder
`build(owner, params, beat, stamp) -> Exported` that applies the owner's scope itself
(`.restrict(owner, Action.EXPORT)`) when the job runs, so a worker never widens it, and calls
`stamp.sheet(book, title)` for every sheet so that each carries who exported it and when.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from wangge.core.cells import text_cell
from wangge.core.jobs.models import Job
from wangge.core.jobs.runner import Beat, JobFailed, job_start, register
from wangge.core.origin import Origin
from wangge.core.services import audit_record

OTHER_REASON = "other"
EXPORT_REASONS = [
    ("screening", _("疫情防控排查")),
    ("testing", _("组织核酸检测")),
    ("vaccination", _("组织疫苗接种")),
    ("visits", _("入户走访核实")),
    ("superior", _("上级部门要求")),
    (OTHER_REASON, _("其他")),
]
EXPORT_DIR = "exports"
M = TypeVar("M", bound=models.Model)
SHANGHAI = ZoneInfo("Asia/Shanghai")


@dataclass(frozen=True)
class Stamp:
    """The watermark of one export: who (username and full name), when (Beijing time), why."""

    username: str
    full_name: str
    at: datetime
    purpose: str

    @property
    def text(self) -> str:
        who = f"{self.username}（{self.full_name}）" if self.full_name else self.username
        return (
            f"导出人：{who}  导出时间：{self.at.astimezone(SHANGHAI):%Y-%m-%d %H:%M}（北京时间）  "
            f"用途：{self.purpose} · 仅限本次用途使用，不得转发到群聊或外传"
        )

    def mark(self, sheet: Worksheet) -> None:
        """The watermark in the printed page's header and footer."""
        for item in (sheet.oddHeader, sheet.oddFooter):
            assert item is not None  # openpyxl makes both with every new sheet
            item.center.text = self.text

    def book(self, book: Workbook) -> None:
        book.properties.creator = self.username
        book.properties.description = self.text

    def sheet(self, book: Workbook, title: str) -> Worksheet:
        """A new write-only sheet whose header, footer and first row carry the watermark."""
        sheet = book.create_sheet(title)
        self.mark(sheet)
        sheet.append([text_cell(sheet, self.text, bold=True)])
        return sheet


def param_row(model: type[M], params: dict[str, Any], key: str) -> M | None:
    """The row an export was asked about (`params[key]` holds its id), read again when the job
    runs; None when it was not asked or no longer exists."""
    value = params.get(key)
    return None if value is None else model._default_manager.filter(pk=value).first()


@dataclass
class Exported:
    content: bytes
    filename: str
    count: int


Builder = Callable[[Any, dict[str, Any], Beat, Stamp], Exported]
Sizer = Callable[[Any, dict[str, Any]], int]
EXPORTS: dict[str, tuple[Builder, Sizer]] = {}


def export_kind(kind: str, *, size: Sizer) -> Callable[[Builder], Builder]:
    """Register an export: its builder, and `size(owner, params)`, the rows it will write, which
    decides whether it runs in the request (settings.WANGGE["JOB_INLINE_MAX"][kind])."""

    def decorator(build: Builder) -> Builder:
        EXPORTS[kind] = (build, size)
        register(kind)(_run_export)
        return build

    return decorator


def export_purpose(reason: str, reason_text: str = "") -> str:
    """The stated purpose of an export: one of EXPORT_REASONS, with its note ("other" needs one)."""
    purposes = dict(EXPORT_REASONS)
    note = reason_text.strip()
    if reason not in purposes or (reason == OTHER_REASON and not note):
        raise PermissionDenied("请选择导出用途 / choose the purpose of the export")
    return str(purposes[reason]) + (f"：{note}" if note else "")


def export_start(
    *,
    by: Any,
    kind: str,
    params: dict[str, Any],
    reason: str,
    reason_text: str = "",
    origin: Origin = Origin.SYSTEM,
    label: str = "",
) -> Job:
    """Ask for an export: the job is recorded and audited with its purpose now, then written in
    this process when it is small for its kind, else by the worker. The job (its page polls it)."""
    purpose = export_purpose(reason, reason_text)
    build, size = EXPORTS[kind]
    with transaction.atomic():
        job = Job.objects.create(kind=kind, owner=by, params=params, reason=purpose)
        audit_record(
            actor=by,
            action="export",
            target=job,
            target_label=label or kind,
            changes={"kind": kind, **params},
            reason=purpose,
            origin=origin,
        )
    job_start(job, size=size(by, params))
    job.refresh_from_db()
    return job


def result_path(job: Job) -> Path:
    """Where the export's file is (or was) stored."""
    return Path(settings.MEDIA_ROOT) / job.result_file


def _run_export(job: Job, beat: Beat) -> dict[str, Any]:
    """The handler of every export kind: build the workbook as the owner, store it, set its expiry.
    Run again after a lost worker, it writes the file again, and only that one (_store)."""
    owner = job.owner
    if owner is None or not owner.is_active:
        raise JobFailed("导出人已停用 / the account that asked for this export is disabled")
    build, _size = EXPORTS[job.kind]
    now = timezone.now()
    full_name = str(owner) if str(owner) != owner.username else ""
    stamp = Stamp(owner.username, full_name, now, job.reason)
    exported = build(owner, job.params, beat, stamp)
    relative = f"{EXPORT_DIR}/{job.pk}/{Path(exported.filename).name}"
    _store(Path(settings.MEDIA_ROOT) / relative, exported.content)
    hours = int(settings.WANGGE["EXPORT_RETENTION_HOURS"])
    Job.objects.filter(pk=job.pk).update(
        result_file=relative, expires_at=now + timedelta(hours=hours), total=exported.count
    )
    return {"rows": exported.count}


def _store(path: Path, content: bytes) -> None:
    """Write the export's file whole or not at all (into a temporary name, then renamed). The
    folder is the job's own: what a run killed while writing left there (a partial file, or a whole
    one named for an earlier minute) is removed first, so the folder holds the one file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    for left in path.parent.iterdir():
        left.unlink()
    partial = path.with_name(f"{path.name}.partial")
    partial.write_bytes(content)
    partial.replace(path)


def export_purge(*, now: datetime | None = None) -> int:
    """Delete the files of expired exports (the job stays, as the record of what went out)."""
    now = now or timezone.now()
    expired = Job.objects.filter(expires_at__lte=now).exclude(result_file="")
    purged = 0
    for job in expired:
        result_path(job).unlink(missing_ok=True)
        purged += Job.objects.filter(pk=job.pk).update(result_file="")
    return purged


class ExportGone(Exception):
    """The export's time is over: its file is deleted or about to be."""


def export_download(*, job: Job, by: Any, origin: Origin = Origin.SYSTEM) -> Path:
    """The file of `by`'s own finished export, audited; ExportGone after it expired."""
    if job.owner_id != getattr(by, "pk", None):
        raise PermissionDenied("不是您的导出 / not your export")
    if job.expired:
        raise ExportGone
    path = result_path(job) if job.result_file else None
    if path is None or not path.is_file():
        raise FileNotFoundError(job.result_file)
    audit_record(
        actor=by,
        action="download",
        target=job,
        target_label=path.name,
        changes={"kind": job.kind},
        reason=job.reason,
        origin=origin,
    )
    return path
