"""出入库台账 as .xlsx: one place's ledger for a period — an export job (core.exports, kind
"supplies.ledger"): asked with a purpose and audited when asked, built under the owner's export
scope when it runs (EXPORT on the place's area), watermarked, downloadable by its owner only."""

from datetime import date
from io import BytesIO
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils import timezone
from openpyxl import Workbook

from wangge.accounts.models import User
from wangge.core.cells import append_row
from wangge.core.exports import Exported, Stamp, export_kind, export_start
from wangge.core.jobs.models import Job
from wangge.core.jobs.runner import Beat
from wangge.core.origin import Origin
from wangge.core.roles import Action
from wangge.supplies.models import Place, StockMove
from wangge.supplies.selectors.stock import ledger

KIND = "supplies.ledger"
HEADERS = (
    "时间",
    "类型",
    "物资",
    "批号",
    "有效期至",
    "数量变化",
    "批次结存",
    "计量单位",
    "领用方/对方库点",
    "原因",
    "经办人",
    "备注",
    "记录号",
)


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _rows(owner: User, params: dict[str, Any]) -> tuple[Place, QuerySet[StockMove]]:
    place = Place.objects.restrict(owner, Action.EXPORT).get(pk=params["place"])
    rows = ledger(
        place,
        start=_day(params.get("start")),
        end=_day(params.get("end")),
        kind=params.get("kind", ""),
    )
    return place, rows


def _size(owner: User, params: dict[str, Any]) -> int:
    return _rows(owner, params)[1].count()


def move_reason(move: StockMove) -> str:
    """Why the move was made, as the ledger shows it."""
    if move.write_off_reason:
        return str(move.get_write_off_reason_display())
    if move.reverses_id:
        return f"冲正 #{move.reverses_id}"
    return move.fefo_reason


@export_kind(KIND, size=_size)
def ledger_workbook(owner: User, params: dict[str, Any], beat: Beat, stamp: Stamp) -> Exported:
    """The period's ledger of the place, oldest first, built as the owner when the job runs."""
    place, rows = _rows(owner, params)
    book = Workbook(write_only=True)
    stamp.book(book)
    sheet = stamp.sheet(book, "出入库台账")
    period = f"{params.get('start') or '…'} 至 {params.get('end') or '…'}"
    append_row(sheet, [f"{place.name} 出入库台账 {period}"])
    append_row(sheet, list(HEADERS))
    count = 0
    for move in rows.reverse().iterator(chunk_size=2000):
        append_row(
            sheet,
            [
                f"{timezone.localtime(move.at):%Y-%m-%d %H:%M}",
                str(move.get_kind_display()),
                move.item.name,
                move.batch.lot,
                move.batch.expiry.isoformat() if move.batch.expiry else "",
                move.change,
                move.balance,
                move.item.unit,
                move.recipient_label,
                move_reason(move),
                str(move.by) if move.by else "",
                move.note,
                move.pk,
            ],
        )
        count += 1
    output = BytesIO()
    book.save(output)
    beat(count, count)
    return Exported(output.getvalue(), f"{place.name}-出入库台账.xlsx", count)


def ledger_export(
    *,
    by: User,
    place: Place,
    start: date | None,
    end: date | None,
    kind: str = "",
    reason: str,
    reason_text: str = "",
    origin: Origin = Origin.SYSTEM,
) -> Job:
    """Ask for the place's ledger of a period as an export job; audited now."""
    if not Place.objects.restrict(by, Action.EXPORT).filter(pk=place.pk).exists():
        raise PermissionDenied("您无权导出此库点的台账 / you may not export this place's ledger")
    params = {
        "place": place.pk,
        "start": start.isoformat() if start else None,
        "end": end.isoformat() if end else None,
        "kind": kind,
    }
    return export_start(
        by=by,
        kind=KIND,
        params=params,
        reason=reason,
        reason_text=reason_text,
        origin=origin,
        label=f"{place.name} 出入库台账",
    )
