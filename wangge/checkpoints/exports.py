"""值守排班表 as .xlsx: a week of one checkpoint's shifts, their people, clock times and handover
notes — an audited export, watermarked with who exported it and when."""

from datetime import date, timedelta
from io import BytesIO
from typing import Any
from urllib.parse import quote

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from openpyxl import Workbook

from wangge.accounts.models import User
from wangge.checkpoints.models import Checkpoint
from wangge.checkpoints.selectors import roster_week
from wangge.core.cells import append_row
from wangge.core.origin import Origin
from wangge.core.services import audit_record

HEADERS = ("日期", "班次", "所需人数", "已排人数", "人员", "到岗", "离岗", "交接班记录")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _time(value: Any) -> str:
    return f"{timezone.localtime(value):%m-%d %H:%M}" if value else ""


@transaction.atomic
def roster_export(
    *, by: User, checkpoint: Checkpoint, first: date, request: HttpRequest | None = None
) -> HttpResponse:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("值守排班")
    now = timezone.localtime()
    last = first + timedelta(days=6)
    append_row(
        sheet,
        [
            f"{checkpoint.name} 值守排班 {first:%Y-%m-%d}至{last:%Y-%m-%d} — 导出：{by} {now:%Y-%m-%d %H:%M}"
        ],
    )
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
    audit_record(
        actor=by,
        action="export",
        target=checkpoint,
        changes={"roster_from": str(first), "rows": rows},
        origin=Origin.from_request(request),
    )
    name = f"{checkpoint.name}-值守排班-{first:%Y%m%d}.xlsx"
    response = HttpResponse(output.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    response["Cache-Control"] = "no-store"
    return response


def _member(assignment: Any) -> str:
    if assignment is None:
        return "（缺员）"
    if assignment.volunteer_id:
        return f"{assignment.volunteer.name}（志愿者 {assignment.volunteer.phone_masked}）"
    return str(assignment.user)
