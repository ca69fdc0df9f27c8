"""Legacy .xls workbooks (Excel 97-2003) read like .xlsx ones; the files are written at test time
(core/tests/xls.py)."""

import pytest

from wangge.core.spreadsheets import TableError, read_table
from wangge.core.tests.xls import write_xls

SYNONYMS = {"姓名": "name", "证件号码": "id_number", "身份证号": "id_number", "手机号": "phone"}


def test_an_xls_roster_reads_like_an_xlsx_one(tmp_path):
    # given an .xls with a title row, a header using synonyms, a blank row, a numeric phone and an
    # ID number Excel turned into a number
    path = write_xls(
        tmp_path / "roster.xls",
        [
            ["东社区人员花名册"],
            ["序号", "姓名", "身份证号", "手机号"],
            [1, "张三", "11010519491231002X", 13800138000],
            [None, None, None, None],
            [2, "李四", 3.30102199001011e17, None],
        ],
        sheet_name="花名册",
    )

    # when
    table = read_table(path, SYNONYMS)

    # then row numbers are Excel's, the phone reads as digits and the mangled ID stays mangled
    assert table.headers == ["序号", "姓名", "身份证号", "手机号"]
    assert [row.number for row in table.rows] == [3, 5]
    assert table.rows[0].values == {
        "name": "张三",
        "id_number": "11010519491231002X",
        "phone": "13800138000",
    }
    assert table.rows[1].values["id_number"] == "3.30102199001011E+17"


def test_a_file_named_xls_that_is_not_a_workbook_is_refused_with_the_reason(tmp_path):
    path = tmp_path / "roster.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0 not really a workbook")

    with pytest.raises(TableError, match="cannot read the spreadsheet"):
        read_table(path, SYNONYMS)
