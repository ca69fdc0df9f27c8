"""盘点: the sheet lists a place's batches; the filled sheet is imported through the hostile-input-
safe reader (a bad row or a bad file saves nothing and says why); a second person's approval
turns each difference into one ADJUST move applied to the batch as it stands, never below zero;
the submitter cannot approve; a rejection writes nothing."""

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Sum
from django.urls import reverse
from openpyxl import load_workbook

from tests.test_no_inline_script import offences
from wangge.core.models import AuditEntry
from wangge.core.tests.hostile_files import sparse_xlsx
from wangge.supplies.models import (
    Batch,
    BatchSource,
    CountStatus,
    MoveKind,
    RecipientKind,
    StockCount,
)
from wangge.supplies.services import stock
from wangge.supplies.services.counts import CountRefused, count_approve, count_import, count_reject

HEADER = "物资,批号,有效期,账面数量,实盘数量\n"


def _csv(tmp_path, rows: str, name="count.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes((HEADER + rows).encode(encoding))
    return path


def _ledger_balances():
    for batch in Batch.objects.all():
        assert batch.moves.aggregate(total=Sum("change"))["total"] == batch.quantity


def test_a_count_sheet_filled_and_approved_by_another_person_adjusts_the_books(
    world, stores, client, tmp_path
):
    # given the warehouse's count sheet, filled: 5 masks of the early lot missing, the late lot
    # right, and 40 antigen kits of a lot not on the books
    client.force_login(world.users["alice"])
    warehouse = stores.places["warehouse"]
    downloaded = client.get(reverse("supplies:count_sheet", args=[warehouse.pk]))
    sheet = load_workbook(io.BytesIO(downloaded.content)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)]
    assert rows[0] == ["物资", "批号", "有效期", "批次编号", "账面数量", "实盘数量"]
    assert [(row[1], row[4], row[5]) for row in rows[1:]] == [
        ("M-EARLY", 100, None),
        ("M-LATE", 300, None),
    ]
    sheet["F3"], sheet["F4"] = 95, 300
    sheet.append(["抗原检测试剂", "K-9", "2027-06-30", None, None, 40])
    path = tmp_path / "盘点.xlsx"
    sheet.parent.save(path)

    # when it is uploaded, and the early lot moves before anyone approves
    page = client.get(reverse("supplies:count_new"))
    assert offences(page.content.decode()) == []
    with path.open("rb") as handle:
        sent = client.post(reverse("supplies:count_new"), {"place": warehouse.pk, "file": handle})
    assert sent.status_code == 302, sent.content.decode()
    count = StockCount.objects.get()
    assert count.status == CountStatus.SUBMITTED and count.file_name == "盘点.xlsx"
    assert [(line.lot, line.expected, line.counted) for line in count.lines.all()] == [
        ("M-EARLY", 100, 95),
        ("M-LATE", 300, 300),
        ("K-9", 0, 40),
    ]
    stock.issue(
        by=world.users["alice"],
        place=warehouse,
        item=stores.items["mask"],
        quantity=10,
        recipient=stock.Recipient(RecipientKind.OTHER, label="核酸采样点"),
    )

    # then the submitter may not approve it; the page says so and offers no button
    detail = client.get(reverse("supplies:count", args=[count.pk])).content.decode()
    assert "count-approve" not in detail and offences(detail) == []
    with pytest.raises(PermissionDenied):
        count_approve(by=world.users["alice"], count=count)
    client.post(reverse("supplies:count_approve", args=[count.pk]))
    assert StockCount.objects.get().status == CountStatus.SUBMITTED

    # when another person with the right approves it
    client.force_login(world.users["admin"])
    client.post(reverse("supplies:count_approve", args=[count.pk]))

    # then each difference is one ADJUST move, applied to the batch as it stands now
    count.refresh_from_db()
    assert count.status == CountStatus.APPROVED and count.decided_by == world.users["admin"]
    moves = count.moves.order_by("pk")
    assert [(m.kind, m.batch.lot, m.change, m.balance) for m in moves] == [
        (MoveKind.ADJUST, "M-EARLY", -5, 85),
        (MoveKind.ADJUST, "K-9", 40, 40),
    ]
    assert Batch.objects.get(lot="K-9").source == BatchSource.COUNT
    _ledger_balances()
    assert (
        AuditEntry.objects.filter(action__in=["supplies.count", "supplies.count_ok"]).count() == 2
    )
    with pytest.raises(ValidationError, match="已审核"):
        count_approve(by=world.users["admin"], count=count)
    listed = client.get(reverse("supplies:counts") + f"?place={warehouse.pk}").content.decode()
    assert reverse("supplies:count", args=[count.pk]) in listed


def test_bad_rows_and_bad_files_save_nothing_and_a_rejection_writes_nothing(
    world, stores, client, tmp_path
):
    alice, admin = world.users["alice"], world.users["admin"]
    warehouse = stores.places["warehouse"]

    # given a sheet with an unknown item, counts that are no whole number, a lot not on the
    # books without its expiry, and the same batch twice
    bad = _csv(
        tmp_path,
        "防护面罩,,,,3\n"
        "医用外科口罩,M-EARLY,,100,-3\n"
        "医用外科口罩,M-LATE,,300,2.5\n"
        "抗原检测试剂,K-1,,,10\n"
        "医用外科口罩,M-EARLY,,100,99\n"
        "医用外科口罩,M-EARLY,,100,98\n",
        encoding="gb18030",
    )

    # when it is imported, then every bad row is named and nothing is saved
    with pytest.raises(CountRefused) as refused:
        count_import(by=alice, place=warehouse, path=bad, original_name="count.csv")
    assert [message.split("：")[0] for message in refused.value.messages] == [
        "第2行",
        "第3行",
        "第4行",
        "第5行",
        "第7行",
    ]
    assert "防护面罩" in refused.value.messages[0] and "第6行" in refused.value.messages[-1]
    assert not StockCount.objects.exists()

    # a hostile file (a sheet reaching the last cell of Excel's grid) answers a clear error
    client.force_login(alice)
    hostile = sparse_xlsx(tmp_path / "huge.xlsx")
    with hostile.open("rb") as handle:
        answer = client.post(reverse("supplies:count_new"), {"place": warehouse.pk, "file": handle})
    assert answer.status_code == 422 and "未保存任何数据" in answer.content.decode()
    assert not StockCount.objects.exists()

    # given a count that finds all 100 early masks gone, and the early lot then issued out
    good = _csv(tmp_path, "医用外科口罩,M-EARLY,,100,0\n医用外科口罩,M-LATE,,300,290\n")
    count = count_import(by=alice, place=warehouse, path=good, original_name="count.csv")
    stock.issue(
        by=alice,
        place=warehouse,
        item=stores.items["mask"],
        quantity=100,
        recipient=stock.Recipient(RecipientKind.OTHER, label="核酸采样点"),
        batch=stores.batches["early"],
    )

    # then approval is refused (the early lot would go below zero) and writes nothing
    with pytest.raises(stock.NotEnoughStock, match="负数"):
        count_approve(by=admin, count=count)
    assert not Batch.objects.filter(moves__kind=MoveKind.ADJUST).exists()

    # a community worker may not reject the street's count, nor anyone without a note
    with pytest.raises(PermissionDenied):
        count_reject(by=world.users["carol"], count=count, note="重盘")
    with pytest.raises(ValidationError, match="驳回原因"):
        count_reject(by=admin, count=count, note=" ")

    # when it is rejected with a note, the stock is left as it was
    client.force_login(admin)
    client.post(reverse("supplies:count_reject", args=[count.pk]), {"note": "数量有误，请重盘"})
    count.refresh_from_db()
    assert (count.status, count.decision_note) == (CountStatus.REJECTED, "数量有误，请重盘")
    assert [b.quantity for b in Batch.objects.order_by("pk")] == [300, 0]
    assert not count.moves.exists()
    _ledger_balances()
    assert client.get(reverse("supplies:count", args=[count.pk])).status_code == 200
    client.force_login(world.users["carol"])
    assert client.get(reverse("supplies:count", args=[count.pk])).status_code == 404
