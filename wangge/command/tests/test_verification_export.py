import io

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from wangge.command.models import VerificationRow
from wangge.command.services.verification import verification_list_import, verification_row_answer
from wangge.command.services.verification_export import verification_list_export
from wangge.command.tests.lists import HEADERS, standard_rows, write_list
from wangge.core.exports import result_path
from wangge.core.models import AuditEntry

Result = VerificationRow.Result


def exported(vlist, by) -> tuple[bytes, str]:
    """The answered list as its owner downloads it: (content, file name)."""
    path = result_path(verification_list_export(vlist=vlist, by=by, reason="screening"))
    return path.read_bytes(), path.name


@pytest.fixture
def vlist(world, tmp_path):
    path = write_list(tmp_path / "第12批.xlsx", standard_rows())
    with path.open("rb") as stream:
        return verification_list_import(
            street=world.street, stream=stream, original_name="第12批.xlsx"
        )


def answered(world, vlist):
    rows = {row.row_number: row for row in vlist.rows.all()}
    verification_row_answer(
        row=rows[3], by=world.users["gavin"], result=Result.CONTROLLED, note="已居家隔离"
    )
    verification_row_answer(row=rows[6], by=world.users["gavin"], result=Result.NO_CONTROL)
    verification_row_answer(
        row=rows[9], by=world.users["tracy"], result=Result.NOT_FOUND, note="电话空号"
    )
    return rows


def test_export_keeps_template_order_and_every_column(world, vlist):
    # given answers to some rows
    answered(world, vlist)

    # when
    content, name = exported(vlist, world.users["alice"])

    # then the title row, the headers and every original cell are where they were
    original = openpyxl.load_workbook(vlist.file.path).active
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    assert name.startswith("第12批-核查结果-") and name.endswith(".xlsx")
    assert sheet["A1"].value == "关于协查相关人员的通知（第12批）"
    header = [c.value for c in sheet[2]]
    assert header == HEADERS + ["核查结果", "核查说明", "核查人", "核查时间", "管控措施"]
    assert sheet["B2"].font.bold
    for row in range(1, original.max_row + 1):
        for column in range(1, len(HEADERS) + 1):
            assert sheet.cell(row, column).value == original.cell(row, column).value
    # and each answer is on the row it was asked on; the duplicate row has its own answer
    results = {r: (sheet.cell(r, 9).value, sheet.cell(r, 10).value) for r in range(3, 13)}
    assert results[3] == ("在辖区已落实管控", "已居家隔离")
    assert results[6] == ("在辖区无需管控", None)
    assert results[9] == ("查无此人", "电话空号")
    assert results[4] == (None, None)
    assert results[10][1].startswith("无法核查")
    assert sheet.cell(3, 11).value == "Gavin"
    assert AuditEntry.objects.filter(action="export", changes__list=vlist.pk).exists()


def test_the_templates_own_result_columns_are_filled(world, tmp_path):
    # given a template that already has 核查结果 and 情况说明 columns between others
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["序号", "姓名", "身份证号", "核查结果", "情况说明", "备注"])
    sheet.append([1, "张三", world.persons["zhang_san"].id_number, None, None, "上级备注"])
    book.save(tmp_path / "t.xlsx")
    with (tmp_path / "t.xlsx").open("rb") as stream:
        vlist = verification_list_import(street=world.street, stream=stream, original_name="t.xlsx")
    verification_row_answer(
        row=vlist.rows.get(), by=world.users["gavin"], result=Result.LEFT, note="已返杭"
    )

    content, _ = exported(vlist, world.users["alice"])

    out = openpyxl.load_workbook(io.BytesIO(content)).active
    assert [c.value for c in out[1]] == [
        "序号",
        "姓名",
        "身份证号",
        "核查结果",
        "情况说明",
        "备注",
        "核查人",
        "核查时间",
        "管控措施",
    ]
    assert [c.value for c in out[2]][:6] == [
        1,
        "张三",
        world.persons["zhang_san"].id_number,
        "已离开辖区",
        "已返杭",
        "上级备注",
    ]


def test_a_csv_list_is_answered_in_a_rebuilt_sheet(world, tmp_path):
    path = tmp_path / "list.csv"
    path.write_text(
        "序号,姓名,手机号,核查原因\n1,李四,13900002222,密接\n2,无名,,\n", encoding="utf-8-sig"
    )
    with path.open("rb") as stream:
        vlist = verification_list_import(
            street=world.street, stream=stream, original_name="list.csv"
        )
    verification_row_answer(
        row=vlist.rows.get(row_number=2), by=world.users["gavin"], result=Result.CONTROLLED
    )

    content, _ = exported(vlist, world.users["alice"])

    out = openpyxl.load_workbook(io.BytesIO(content)).active
    assert [c.value for c in out[1]][:5] == ["序号", "姓名", "手机号", "核查原因", "核查结果"]
    assert out.cell(2, 5).value == "在辖区已落实管控" and out.cell(3, 2).value == "无名"


def test_only_who_may_export_the_whole_list_gets_it(world, vlist):
    for name in ("gavin", "carol", "kim"):
        with pytest.raises(PermissionDenied):
            verification_list_export(vlist=vlist, by=world.users[name], reason="screening")


def test_answers_come_from_the_fixed_vocabulary_and_only_from_the_responsible(world, vlist):
    rows = {row.row_number: row for row in vlist.rows.all()}
    with pytest.raises(ValidationError):
        verification_row_answer(row=rows[3], by=world.users["gavin"], result="maybe")
    with pytest.raises(ValidationError, match="other"):
        verification_row_answer(row=rows[3], by=world.users["gavin"], result=Result.OTHER)
    with pytest.raises(PermissionDenied):
        verification_row_answer(row=rows[3], by=world.users["bella"], result=Result.CONTROLLED)
    # the tracers answer the unmatched rows of their pool, but not a grid worker's row
    verification_row_answer(row=rows[8], by=world.users["tracy"], result=Result.WRONG_INFO)
    with pytest.raises(PermissionDenied):
        verification_row_answer(row=rows[3], by=world.users["tracy"], result=Result.CONTROLLED)


def test_an_answer_links_the_measure_taken_and_the_export_names_it(world, vlist):
    from datetime import date

    from wangge.measures.models import MeasureType, PersonMeasure

    # given 张三 under a measure
    measure_type = MeasureType.objects.first()
    measure = PersonMeasure.objects.create(
        person=world.persons["zhang_san"],
        measure_type=measure_type,
        start=date(2026, 3, 1),
        end=date(2026, 3, 8),
        reason="密接",
    )
    row = vlist.rows.get(row_number=3)

    # when the grid worker answers with it
    verification_row_answer(
        row=row, by=world.users["gavin"], result=Result.CONTROLLED, measure=measure
    )

    # then
    content, _ = exported(vlist, world.users["alice"])
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    assert sheet.cell(3, 13).value.startswith(measure_type.name)
    # a measure of someone else is refused
    with pytest.raises(ValidationError, match="someone else"):
        verification_row_answer(
            row=vlist.rows.get(row_number=4),
            by=world.users["gavin"],
            result=Result.CONTROLLED,
            measure=measure,
        )
