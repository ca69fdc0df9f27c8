"""盘点: the count sheet of a place, its import, and the second person's decision.

The sheet (.xlsx) has one row per batch holding stock: 物资, 批号, 有效期, 批次编号, 账面数量 and
an empty 实盘数量. The filled sheet (.xlsx, or .csv in UTF-8 or GB18030) is read by the project's
one reader (`core.spreadsheets.read_table`, the file parsed in a child process under limits), so a
damaged or huge file is refused with a message and never takes the server down. A row names its
batch by 批次编号 when the sheet kept it, else by item and lot (and expiry, when given); a lot not on
the books is a line without batch, received as a new batch (source 盘盈) on approval. Any bad row
refuses the whole file, every problem named by row; nothing is saved.

Approval, by someone with EDIT on the place who did not submit the count, writes one ADJUST move
per line whose count differs from the books, in one transaction: the difference (counted −
expected) is applied to the batch's current quantity, so moves made since the count are kept; an
adjustment that would take a batch below zero refuses the whole approval.
"""

import io
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from openpyxl import Workbook

from wangge.core.cells import append_row, first_sheet
from wangge.core.identity import normalise_text
from wangge.core.origin import Origin
from wangge.core.services import audit_record
from wangge.core.spreadsheets import Row, TableError, read_table
from wangge.supplies.models import (
    Batch,
    BatchSource,
    CountStatus,
    Item,
    Place,
    StockCount,
    StockCountLine,
)
from wangge.supplies.services import stock

HEADERS = ["物资", "批号", "有效期", "批次编号", "账面数量", "实盘数量"]
SYNONYMS = {
    "物资": "item",
    "物资名称": "item",
    "品名": "item",
    "批号": "lot",
    "批次号": "lot",
    "有效期": "expiry",
    "有效期至": "expiry",
    "失效日期": "expiry",
    "批次编号": "batch",
    "账面数量": "expected",
    "账面": "expected",
    "实盘数量": "counted",
    "实盘": "counted",
    "实存数量": "counted",
    "盘点数量": "counted",
}
_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_WHOLE = re.compile(r"^\d{1,9}$")


class CountRefused(ValidationError):
    """The sheet cannot be imported; `messages` name each problem (with its row)."""


def count_sheet(place: Place) -> bytes:
    """The count sheet of `place` (.xlsx): one row per batch that holds stock."""
    book = Workbook()
    sheet = first_sheet(book)
    sheet.title = "盘点表"
    append_row(sheet, [f"{place.name} 盘点表 {timezone.localdate():%Y-%m-%d}"])
    append_row(sheet, HEADERS)
    batches = (
        Batch.objects.filter(place=place, quantity__gt=0)
        .select_related("item")
        .order_by("item__name", "expiry", "lot", "pk")
    )
    for batch in batches:
        append_row(
            sheet,
            [batch.item.name, batch.lot, batch.expiry, batch.pk, batch.quantity, None],
        )
    for column, width in zip("ABCDEF", (20, 16, 12, 10, 10, 10), strict=True):
        sheet.column_dimensions[column].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@dataclass
class _Line:
    item: Item
    batch: Batch | None
    lot: str
    expiry: date | None
    counted: int


def _date(text: str) -> date | None:
    text = normalise_text(text)
    if not text:
        return None
    match = _DATE.match(text.split(" ")[0])
    if match is None:
        raise ValueError(text)
    return date(*(int(part) for part in match.groups()))


class _Bad(Exception):
    """One row's problem."""


class _Reader:
    """Turns the sheet's rows into lines of one place, collecting every problem."""

    def __init__(self, place: Place) -> None:
        self.items = {item.name: item for item in Item.objects.filter(street_id=place.street_id)}
        self.batches = list(Batch.objects.filter(place=place))
        self.errors: list[str] = []
        self.seen: dict[int, int] = {}  # batch id → row

    def line(self, row: Row) -> _Line | None:
        try:
            return self._line(row)
        except _Bad as bad:
            self.errors.append(f"第{row.number}行：{bad}")
            return None

    def _line(self, row: Row) -> _Line:
        values = row.values
        name = normalise_text(values.get("item", ""))
        item = self.items.get(name)
        if item is None:
            raise _Bad(f"物资“{name}”不在本街道的物资目录中 / unknown item '{name}'")
        counted = normalise_text(values.get("counted", ""))
        if not _WHOLE.match(counted):
            raise _Bad(
                f"实盘数量“{counted}”应为不小于0的整数 / the counted quantity '{counted}' must "
                "be a whole number of 0 or more"
            )
        try:
            expiry = _date(values.get("expiry", ""))
        except ValueError as error:
            raise _Bad("有效期无法识别（如 2027-06-30） / cannot read the expiry date") from error
        lot = normalise_text(values.get("lot", ""))[:40]
        batch = self._match(normalise_text(values.get("batch", "")), item, lot, expiry)
        if batch is None and item.has_expiry and expiry is None:
            raise _Bad("账外批次须填写有效期 / a lot not on the books needs its expiry date")
        if batch is not None:
            if batch.pk in self.seen:
                first = self.seen[batch.pk]
                raise _Bad(f"与第{first}行是同一批次 / the same batch as row {first}")
            self.seen[batch.pk] = row.number
        return _Line(item, batch, lot, expiry, int(counted))

    def _match(self, raw_id: str, item: Item, lot: str, expiry: date | None) -> Batch | None:
        if raw_id:
            found = [b for b in self.batches if str(b.pk) == raw_id and b.item_id == item.pk]
            if not found:
                raise _Bad(
                    f"批次编号“{raw_id}”不是本库点该物资的批次 / batch {raw_id} is not a batch "
                    "of this item at this place"
                )
            return found[0]
        found = [b for b in self.batches if b.item_id == item.pk and b.lot == lot]
        if expiry is not None:
            found = [b for b in found if b.expiry == expiry]
        if len(found) > 1:
            raise _Bad(
                f"批号“{lot}”有多个批次，请保留“批次编号”列 / several batches have lot '{lot}': "
                "keep the batch id column"
            )
        return found[0] if found else None


def _read(place: Place, path: Path | str, original_name: str) -> list[_Line]:
    try:
        table = read_table(
            path, SYNONYMS, needs=("item", "counted"), original_name=original_name, kind="count"
        )
    except TableError as error:
        raise CountRefused([str(error)]) from error
    reader = _Reader(place)
    lines = [line for row in table.rows if (line := reader.line(row)) is not None]
    if reader.errors:
        raise CountRefused(reader.errors)
    if not lines:
        raise CountRefused(["表中没有盘点数据 / the sheet holds no counted rows"])
    return lines


@transaction.atomic
def count_import(
    *,
    by: Any,
    place: Place,
    path: Path | str,
    original_name: str = "",
    origin: Origin = Origin.SYSTEM,
) -> StockCount:
    """A submitted count of `place` from a filled sheet; CountRefused (nothing saved) when any
    row is bad or the file cannot be read."""
    stock.require_place(by, place)
    lines = _read(place, path, original_name)
    count = StockCount.objects.create(
        place=place, counted_at=timezone.now(), file_name=Path(original_name).name[:200], by=by
    )
    StockCountLine.objects.bulk_create(
        StockCountLine(
            count=count,
            item=line.item,
            batch=line.batch,
            lot=line.batch.lot if line.batch else line.lot,
            expiry=line.batch.expiry if line.batch else line.expiry,
            expected=line.batch.quantity if line.batch else 0,
            counted=line.counted,
        )
        for line in lines
    )
    audit_record(
        actor=by,
        action="supplies.count",
        target=count,
        changes={"lines": len(lines)},
        origin=origin,
    )
    return count


def _decidable(by: Any, count: StockCount) -> StockCount:
    locked = StockCount.objects.select_for_update().select_related("place").get(pk=count.pk)
    stock.require_place(by, locked.place)
    if locked.status != CountStatus.SUBMITTED:
        raise ValidationError({"status": "该盘点已审核过 / this count has already been decided"})
    return locked


@transaction.atomic
def count_approve(*, by: Any, count: StockCount, origin: Origin = Origin.SYSTEM) -> StockCount:
    """Approve a submitted count: one ADJUST move per difference, all or nothing."""
    count = _decidable(by, count)
    if count.by_id is not None and count.by_id == getattr(by, "pk", None):
        raise PermissionDenied(
            "盘点须由提交人以外的人审核 / someone other than the submitter must approve the count"
        )
    now = timezone.now()
    moves = 0
    for line in count.lines.select_related("batch", "item"):
        if line.batch is None:
            if not line.counted:
                continue
            line.batch = Batch.objects.create(
                item=line.item,
                place=count.place,
                lot=line.lot,
                expiry=line.expiry,
                source=BatchSource.COUNT,
                received_at=now,
            )
            line.save(update_fields=["batch"])
        if line.difference:
            stock.adjust(by=by, batch=line.batch, change=line.difference, count=count, at=now)
            moves += 1
    count.status = CountStatus.APPROVED
    count.decided_by, count.decided_at = by, now
    count.save(update_fields=["status", "decided_by", "decided_at"])
    audit_record(
        actor=by, action="supplies.count_ok", target=count, changes={"moves": moves}, origin=origin
    )
    return count


@transaction.atomic
def count_reject(
    *, by: Any, count: StockCount, note: str, origin: Origin = Origin.SYSTEM
) -> StockCount:
    """Reject a submitted count with a note; the stock is left as it is."""
    count = _decidable(by, count)
    note = str(note or "").strip()[:200]
    if not note:
        raise ValidationError({"note": "请填写驳回原因 / say why the count is rejected"})
    count.status = CountStatus.REJECTED
    count.decided_by, count.decided_at, count.decision_note = by, timezone.now(), note
    count.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    audit_record(actor=by, action="supplies.count_no", target=count, reason=note, origin=origin)
    return count
