"""A verification list sent as a legacy .xls: matched and routed like an .xlsx one, and answered in
a sheet rebuilt cell for cell from the original."""

import io

import openpyxl

from conftest import make_id_number
from wangge.command.models import VerificationRow
from wangge.command.services.verification import verification_list_import, verification_row_answer
from wangge.command.services.verification_export import verification_list_export
from wangge.command.tests.lists import HEADERS
from wangge.core.exports import result_path
from wangge.core.tests.xls import write_xls

Row = VerificationRow


def exported(vlist, by) -> tuple[bytes, str]:
    """The answered list as its owner downloads it: (content, file name)."""
    path = result_path(verification_list_export(vlist=vlist, by=by, reason="screening"))
    return path.read_bytes(), path.name


def test_an_xls_list_is_matched_routed_and_answered_in_a_rebuilt_sheet(world, tmp_path):
    # given an .xls list with a title row: 张三 by ID, 李四 by phone (typed as a number) and name,
    # and a row with nothing to check
    path = write_xls(
        tmp_path / "第13批.xls",
        [
            ["关于协查相关人员的通知（第13批）"],
            HEADERS,
            [1, "张三", make_id_number(1), "", "", "密接", "省专班", ""],
            [2, "李四", "", 13900002222, "", "时空伴随", "省专班", ""],
            [3, "", "", "", "", "原因不详", "省专班", ""],
        ],
        sheet_name="协查名单",
    )

    # when it is imported
    with path.open("rb") as stream:
        vlist = verification_list_import(
            street=world.street, stream=stream, original_name="第13批.xls"
        )

    # then the rows are matched and routed as from an .xlsx
    rows = {row.row_number: row for row in vlist.rows.all()}
    assert vlist.counts == {"rows": 3, "matched": 2, "unmatched": 0, "rejected": 1}
    assert (rows[3].person, rows[3].method) == (world.persons["zhang_san"], Row.Method.ID)
    assert (rows[4].person, rows[4].method) == (world.persons["li_si"], Row.Method.PHONE_NAME)
    assert rows[3].assignee == world.users["gavin"]
    assert rows[5].outcome == Row.Outcome.REJECTED

    # and once answered, the export rebuilds the original cells with the answer beside them
    verification_row_answer(row=rows[3], by=world.users["gavin"], result=Row.Result.CONTROLLED)
    content, _ = exported(vlist, world.users["alice"])
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    texts = [" ".join(str(v) for v in row if v is not None) for row in values]
    assert any("张三" in text and "在辖区已落实管控" in text for text in texts)
    assert any("李四" in text and "13900002222" in text for text in texts)
