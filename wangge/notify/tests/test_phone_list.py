"""An imported list of phones: messy phones read as people type them, bad rows reported by
number and not kept, repeats merged, phones sealed; a hostile file answered with a message."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from wangge.core import crypto
from wangge.core.models import AuditEntry
from wangge.core.origin import Origin
from wangge.core.tests.hostile_files import sparse_xlsx
from wangge.notify.audience import AudienceError, audience_parse, recipients
from wangge.notify.models import SavedListEntry
from wangge.notify.phone_lists import PhoneListError, phone_list_import, phone_list_read

ORIGIN = Origin(ip="10.0.0.8", agent="pytest")
MESSY_CSV = (
    "通知名单\n"
    "姓名,手机号\n"
    "甲,178-3401-9904\n"
    "乙,１７８３４０１９９０５\n"
    "丙,+86 178 3401 9906\n"
    "丁,17834019904\n"
    "戊,12345\n"
    "己,0571-87654321\n"
    ",\n"
    "庚,\n"
    "辛,13800001111/13900002222\n"
)


def csv_upload(text: str = MESSY_CSV, name: str = "名单.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"))


def xlsx_upload(tmp_path: Path, rows: list[list[object]]) -> Path:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    path = tmp_path / "phones.xlsx"
    workbook.save(path)
    return path


def test_messy_phones_are_read_and_bad_rows_reported_by_number(db):
    sheet = phone_list_read(csv_upload())
    assert list(sheet.phones) == [
        "17834019904",
        "17834019905",
        "17834019906",
        "13800001111",
        "13900002222",
    ]
    assert sheet.phones["17834019904"] == "甲" and sheet.merged == 1
    assert [error["row"] for error in sheet.errors] == [7, 8, 10]
    assert all(" / " in error["reason"] for error in sheet.errors)
    assert "不是手机号" in sheet.errors[1]["reason"]


def test_excel_numbers_and_an_english_header_are_read(tmp_path, db):
    path = xlsx_upload(tmp_path, [["Name", "Phone"], ["A", 17834019904.0], ["B", 13800001111]])
    assert list(phone_list_read(path).phones) == ["17834019904", "13800001111"]


def test_an_import_keeps_valid_phones_sealed_in_the_importers_area_and_audits_it(places):
    w = places.world
    saved = phone_list_import(
        by=w.users["gavin"], origin=ORIGIN, name="商户", upload=csv_upload(), street=None
    )
    assert (saved.street_id, saved.grid_id, saved.owner) == (
        w.street.pk,
        w.grid_a.pk,
        w.users["gavin"],
    )
    entries = list(SavedListEntry.objects.filter(saved_list=saved).order_by("pk"))
    assert len(entries) == 5
    first = entries[0]
    assert crypto.unseal(first.phone_sealed) == "17834019904"
    assert first.phone_hash == crypto.blind_index("17834019904")
    assert (first.phone_masked, first.label, first.person) == ("178****9904", "甲", None)
    entry = AuditEntry.objects.get(target_id=str(saved.pk), action="import")
    assert entry.changes == {"saved": 5, "merged": 1, "rejected": 3, "rejected_rows": [7, 8, 10]}
    assert entry.ip == "10.0.0.8"
    audience = audience_parse("phones", str(saved.pk), by=w.users["gavin"])
    rows = list(recipients(audience, ["sms"], "notice"))
    assert len(rows) == 5 and all(row.channels == ("sms",) for row in rows)
    with pytest.raises(AudienceError):
        audience_parse("phones", str(saved.pk), by=w.users["bella"])


def test_a_file_without_a_phone_column_or_a_valid_phone_is_refused_whole(places):
    w = places.world
    with pytest.raises(PhoneListError) as raised:
        phone_list_import(
            by=w.users["alice"],
            origin=ORIGIN,
            name="空",
            upload=csv_upload("姓名,住址\n甲,1幢\n"),
            street="江南街道",
        )
    assert "手机号" in raised.value.message
    with pytest.raises(PhoneListError) as raised:
        phone_list_import(
            by=w.users["alice"],
            origin=ORIGIN,
            name="坏",
            upload=csv_upload("手机号\n12345\n"),
            street=w.street,
        )
    assert [error["row"] for error in raised.value.errors] == [2]
    assert not SavedListEntry.objects.exists()


def test_a_hostile_workbook_is_answered_with_a_message(places, tmp_path):
    path = sparse_xlsx(tmp_path / "far.xlsx")
    with pytest.raises(PhoneListError) as raised:
        phone_list_import(by=None, origin=ORIGIN, name="恶意", upload=path, street=None)
    assert "无法读取文件" in raised.value.message and " / " in raised.value.message


def test_a_file_of_another_type_is_refused(places):
    upload = SimpleUploadedFile("phones.txt", b"13800001111")
    with pytest.raises(PhoneListError):
        phone_list_import(by=None, origin=ORIGIN, name="文本", upload=upload, street=None)
