"""值守排班表 as .xlsx: a week of one checkpoint's shifts, their people, clock times and handover
notes — an export job (core.exports): asked with a purpose, audited, watermarked with who exported
it and when, downloadable by its owner only, until it expires."""

from datetime import date, timedelta
from io import BytesIO
from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from openpyxl import Workbook

from wangge.accounts.models import User
from wangge.checkpoints.models import Checkpoint
from wangge.checkpoints.selectors import roster_week
from wangge.core.cells import append_row
from wangge.core.exports import Exported, Stamp, export_kind, export_start
from wangge.core.jobs.models import Job
from wangge.core.jobs.runner import Beat
from wangge.core.origin import Origin
from wangge.core.roles import Action

HEADERS = ("日期", "班次", "所需人数", "已排人数", "人员", "到岗", "离岗", "交接班记录")


def _time(value: Any) -> str:
    return f"{timezone.localtime(value):%m-%d %H:%M}" if value else ""


def _week(owner: User, params: dict[str, Any]) -> tuple[Checkpoint, date]:
    checkpoint = Checkpoint.objects.restrict(owner, Action.EXPORT).get(pk=params["checkpoint"])
    return checkpoint, date.fromisoformat(params["first"])


def _size(owner: User, params: dict[str, Any]) -> int:
    checkpoint, first = _week(owner, params)
    return sum(len(day.shifts) + len(day.uncovered) for day in roster_week(checkpoint, first))


@export_kind("checkpoints.roster", size=_size)
def roster_workbook(owner: User, params: dict[str, Any], beat: Beat, stamp: Stamp) -> Exported:
    """The week as a workbook, built as the owner when the job runs."""
    checkpoint, first = _week(owner, params)
    book = Workbook(write_only=True)
    stamp.book(book)
    sheet = stamp.sheet(book, "值守排班")
    last = first + timedelta(days=6)
    append_row(sheet, [f"{checkpoint.name} 值守排班 {first:%Y-%m-%d}至{last:%Y-%m-%d}"])
    append_row(sheet, list(HEADERS))
    rows = 0
    for day in roster_week(checkpoint, first):
        for shift in day.shifts:
            notes = "\n".join(
                f"{_time(note.at)} {note.by or ''}：{note.text}" for note in shift.notes.all()
            )
            members = list(shift.assignments.all()) or [None]
            for index, assignment in enumerate(members):
                append_row(
                    sheet,
                    [
                        f"{day.day:%Y-%m-%d}",
                        f"{timezone.localtime(shift.starts_at):%H:%M}-{timezone.localtime(shift.ends_at):%H:%M}",
                        shift.needed,
                        shift.staffed,  # type: ignore[attr-defined]  # annotated by roster_week
                        _member(assignment),
                        _time(assignment.clocked_on_at) if assignment else "",
                        _time(assignment.clocked_off_at) if assignment else "",
                        notes if index == 0 else "",
                    ],
                )
                rows += 1
        for begin, end in day.uncovered:
            append_row(
                sheet,
                [
                    f"{day.day:%Y-%m-%d}",
                    f"{_time(begin)[-5:]}-{_time(end)[-5:]}",
                    "",
                    0,
                    "未排班",
                    "",
                    "",
                    "",
                ],
            )
            rows += 1
    output = BytesIO()
    book.save(output)
    beat(rows, rows)
    return Exported(output.getvalue(), f"{checkpoint.name}-值守排班-{first:%Y%m%d}.xlsx", rows)


def roster_export(
    *,
    by: User,
    checkpoint: Checkpoint,
    first: date,
    reason: str,
    reason_text: str = "",
    origin: Origin = Origin.SYSTEM,
) -> Job:
    """Ask for a week of the checkpoint's duty roster as an export job; audited now."""
    if not Checkpoint.objects.restrict(by, Action.EXPORT).filter(pk=checkpoint.pk).exists():
        raise PermissionDenied(
            "您无权导出此卡点的排班 / you may not export this checkpoint's roster"
        )
    return export_start(
        by=by,
        kind="checkpoints.roster",
        params={"checkpoint": checkpoint.pk, "first": first.isoformat()},
        reason=reason,
        reason_text=reason_text,
        origin=origin,
        label=f"{checkpoint.name} 值守排班 {first:%Y-%m-%d}",
    )


def _member(assignment: Any) -> str:
    if assignment is None:
        return "（缺员）"
    if assignment.volunteer_id:
        return f"{assignment.volunteer.name}（志愿者 {assignment.volunteer.phone_masked}）"
    return str(assignment.user)
