"""The answer to a verification list, in the template it came in.

An .xlsx list is answered in a copy of the original workbook (title rows, styles, column widths and
every original column stay); an .xls or .csv list is rebuilt cell for cell from the original file.
The result columns are the template's own when it has them (核查结果, 核查说明, 核查人, 核查时间,
管控措施 and their usual synonyms), else they are added after the last column. Rows stay in their
original order because each answer is written to the row it was read from.
"""

import io
from copy import copy
from typing import Any

import openpyxl
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from openpyxl.worksheet.worksheet import Worksheet

from wangge.accounts.authority import holds
from wangge.accounts.models import User
from wangge.command.models import VerificationList, VerificationRow
from wangge.core.cells import append_row, first_sheet, neutralise_sheet, safe_value
from wangge.core.exports import Exported, Stamp, export_kind, export_start
from wangge.core.jobs.models import Job
from wangge.core.jobs.runner import Beat, JobFailed
from wangge.core.origin import Origin
from wangge.core.roles import Action
from wangge.core.spreadsheets import HEADER_SEARCH_ROWS, cell_text, header_map, raw_rows

RESULT_COLUMNS = {  # canonical → header written when the template lacks it
    "result": "核查结果",
    "note": "核查说明",
    "answered_by": "核查人",
    "answered_at": "核查时间",
    "measure": "管控措施",
}
RESULT_SYNONYMS = {
    "核查结果": "result",
    "反馈结果": "result",
    "处置结果": "result",
    "核查情况": "result",
    "核查说明": "note",
    "情况说明": "note",
    "核查情况说明": "note",
    "反馈说明": "note",
    "核查人": "answered_by",
    "反馈人": "answered_by",
    "核查时间": "answered_at",
    "反馈时间": "answered_at",
    "管控措施": "measure",
    "落实措施": "measure",
}
XLSX_SUFFIXES = (".xlsx", ".xlsm")


def _header_row(sheet: Worksheet, headers: list[str]) -> int:
    """The 1-based row holding the list's headers (the importer recorded them)."""
    wanted = [h for h in headers if h]
    for number, cells in enumerate(
        sheet.iter_rows(max_row=HEADER_SEARCH_ROWS, values_only=True), start=1
    ):
        if [t for t in (cell_text(c) for c in cells) if t] == wanted:
            return number
    return 1


def _result_columns(sheet: Worksheet, header_row: int) -> dict[str, int]:
    """Canonical result column → 1-based column index, adding the missing ones at the end."""
    cells = [cell_text(c.value) for c in sheet[header_row]]
    found = {name: index + 1 for index, name in header_map(cells, RESULT_SYNONYMS).items()}
    last = max((i + 1 for i, text in enumerate(cells) if text), default=0)
    model = sheet.cell(row=header_row, column=last) if last else None
    for name, header in RESULT_COLUMNS.items():
        if name in found:
            continue
        last += 1
        cell = sheet.cell(row=header_row, column=last, value=header)
        if model is not None and model.has_style:
            source: Any = model  # the stubs type a copied style as its proxy, not as the style
            cell.font, cell.fill = copy(source.font), copy(source.fill)
            cell.border, cell.alignment = copy(source.border), copy(source.alignment)
        found[name] = last
    return found


def _answer(row: VerificationRow) -> dict[str, str]:
    note = row.note
    if not note and row.outcome == VerificationRow.Outcome.REJECTED:
        note = f"无法核查：{row.problem}"
    measure = row.measure
    return {
        "result": row.get_result_display() if row.result else "",
        "note": note,
        "answered_by": str(row.answered_by) if row.answered_by else "",
        "answered_at": (
            timezone.localtime(row.answered_at).strftime("%Y-%m-%d %H:%M")
            if row.answered_at
            else ""
        ),
        "measure": (
            f"{measure.measure_type.name}（{measure.get_status_display()}，{measure.start:%Y-%m-%d}起）"
            if measure
            else ""
        ),
    }


def _workbook(vlist: VerificationList) -> openpyxl.Workbook:
    if vlist.original_name.lower().endswith(XLSX_SUFFIXES):
        return openpyxl.load_workbook(vlist.file.path)
    book = openpyxl.Workbook()
    sheet = first_sheet(book)
    for cells in raw_rows(vlist.file.path, vlist.original_name, "verification"):
        append_row(sheet, cells)
    return book


def answered_workbook(vlist: VerificationList, stamp: Stamp | None = None) -> bytes:
    """The original file with every row's answer written into its result columns; no cell of it
    goes out as a formula (core.cells). Watermarked with the stamp, when given."""
    book = _workbook(vlist)
    if stamp is not None:
        stamp.book(book)
        for each in book.worksheets:
            stamp.mark(each)
    sheet = book.worksheets[0]
    columns = _result_columns(sheet, _header_row(sheet, vlist.headers))
    rows = vlist.rows.select_related("answered_by", "measure__measure_type").order_by("position")
    for row in rows.iterator(chunk_size=2000):
        for name, value in _answer(row).items():
            if value:
                sheet.cell(row=row.row_number, column=columns[name], value=safe_value(value))
    neutralise_sheet(sheet)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def may_export(user: Any, vlist: VerificationList) -> bool:
    """The whole list goes out, so only to whoever may export all of it: the street's command
    and tracing task force for a street's list, also the community's workers for its own list."""
    if holds(user, Action.EXPORT, vlist.street):
        return True
    return vlist.community is not None and holds(user, Action.EXPORT, vlist.community)


def export_name(vlist: VerificationList) -> str:
    stem = vlist.original_name.rsplit(".", 1)[0]
    return f"{stem}-核查结果-{timezone.localtime():%Y%m%d%H%M}.xlsx"


def _size(owner: User, params: dict[str, Any]) -> int:
    return VerificationList.objects.get(pk=params["list"]).rows_total


@export_kind("command.verification", size=_size)
def verification_workbook(
    owner: User, params: dict[str, Any], beat: Beat, stamp: Stamp
) -> Exported:
    """The answered list, if the owner may still export all of it when the job runs. The list's
    own rows stay where they are, so the watermark goes into every sheet's printed header and
    footer and the workbook's properties rather than a first row."""
    vlist = VerificationList.objects.get(pk=params["list"])
    if not may_export(owner, vlist):
        raise JobFailed("您无权导出该名单 / you may not export this list")
    content = answered_workbook(vlist, stamp)
    return Exported(content, export_name(vlist), vlist.rows_total)


def verification_list_export(
    *,
    vlist: VerificationList,
    by: User,
    reason: str,
    reason_text: str = "",
    origin: Origin = Origin.SYSTEM,
) -> Job:
    """Ask for the answered list as a job, for a user who may export it; audited now."""
    if not may_export(by, vlist):
        raise PermissionDenied("您无权导出该名单 / you may not export this list")
    return export_start(
        by=by,
        kind="command.verification",
        params={"list": vlist.pk, "rows": vlist.rows_total},
        reason=reason,
        reason_text=reason_text,
        origin=origin,
        label=str(vlist)[:200],
    )
