import openpyxl
import pytest

from wangge.core.spreadsheets import NoHeaderRow, TableError, read_table, stream_table

SYNONYMS = {"姓名": "name", "证件号码": "id_number", "身份证号": "id_number", "手机号": "phone"}


def test_title_row_is_skipped_and_blank_rows_ignored(tmp_path):
    # given a sheet with a title row, a header using synonyms, a blank row and a numeric phone
    path = tmp_path / "roster.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["东社区人员花名册"])
    sheet.append(["序号", "姓名", "身份证号", "手机号"])
    sheet.append([1, "张三", "11010519491231002X", 13800138000])
    sheet.append([None, None, None, None])
    sheet.append([2, "李四", 3.30102199001011e17, None])
    book.save(path)

    # when
    table = read_table(path, SYNONYMS)

    # then row numbers are Excel's, the phone reads as digits and the mangled ID stays mangled
    assert [row.number for row in table.rows] == [3, 5]
    assert table.rows[0].values == {
        "name": "张三",
        "id_number": "11010519491231002X",
        "phone": "13800138000",
    }
    assert table.rows[1].values["id_number"] == "3.30102199001011E+17"


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "gb18030"])
def test_csv_encodings(tmp_path, encoding):
    path = tmp_path / "list.csv"
    path.write_bytes("姓名,证件号码\n䶮张,11010519491231002X\n".encode(encoding))

    table = read_table(path, SYNONYMS)

    assert table.rows[0].values["name"] == "䶮张"


def test_file_without_header_is_refused(tmp_path):
    path = tmp_path / "junk.csv"
    path.write_text("a,b\n1,2\n")

    with pytest.raises(TableError, match="header"):
        read_table(path, SYNONYMS)


def test_unsupported_type_is_refused(tmp_path):
    path = tmp_path / "junk.pdf"
    path.write_bytes(b"%PDF")

    with pytest.raises(TableError, match=".pdf"):
        read_table(path, SYNONYMS)


def test_a_table_that_starts_in_c3_keeps_excel_row_numbers_and_columns(tmp_path):
    path = tmp_path / "offset.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet["C3"], sheet["D3"] = "姓名", "证件号码"
    sheet["C4"], sheet["D4"] = "张三", "11010519491231002X"
    book.save(path)

    table = read_table(path, SYNONYMS)

    assert table.rows[0].number == 4
    assert table.rows[0].raw[2:4] == ["张三", "11010519491231002X"]


def test_the_importer_says_which_names_its_header_row_holds_and_how_far_to_search(tmp_path):
    # given a list row that names 姓名 and 手机号 above the real header, which also names 身份证号
    path = tmp_path / "list.csv"
    path.write_text("说明,姓名,手机号\n\n姓名,身份证号,手机号\n张三,11010519491231002X,1\n")

    # when the header must hold 身份证号, the first row is not taken for it
    table = read_table(path, SYNONYMS, needs=("id_number",))
    assert [row.number for row in table.rows] == [4]
    assert table.rows[0].values["id_number"] == "11010519491231002X"

    # and a search of the first two rows finds no header, which says so in a class of its own
    with pytest.raises(NoHeaderRow, match="first 2 rows"):
        read_table(path, SYNONYMS, needs=("id_number",), search_rows=2)


def test_one_cell_conversion_serves_every_reader():
    from datetime import datetime

    from wangge.core import spreadsheets
    from wangge.core.spreadsheets import cell_text
    from wangge.people.importing import reader

    # the roster reader reads (and converts its cells) through the same module
    assert reader.stream_table is spreadsheets.stream_table
    assert cell_text(13800138000.0) == "13800138000"
    assert cell_text(1.23e15) == "1.23E+15"
    assert cell_text(float("nan")) == ""
    midnight, morning = datetime(1990, 1, 2), datetime(2022, 4, 10, 8, 15)  # noqa: DTZ001 - cells are naive
    assert cell_text(midnight) == "1990-01-02"
    assert cell_text(morning) == "2022-04-10 08:15:00"
    assert cell_text("\u3000'=1+1 ") == "=1+1"


def test_a_tab_separated_gb18030_text_with_marked_headers_is_read(tmp_path):
    # given WPS's "save as text": GB18030, tabs, headers marked required, full-width digits
    path = tmp_path / "名单.txt"
    lines = ["*姓名\t身份证号（必填）\t手机号", "张三\t11010519491231002X\t１３８００１３８０００"]
    path.write_bytes("\r\n".join(lines).encode("gb18030"))

    table = read_table(path, SYNONYMS)

    assert table.canonical == {0: "name", 1: "id_number", 2: "phone"}
    assert table.rows[0].values["name"] == "张三"
    assert table.rows[0].values["phone"] == "１３８００１３８０００"  # the importer normalises


def test_a_binary_file_named_csv_is_refused(tmp_path):
    path = tmp_path / "x.csv"
    path.write_bytes(b"PK\x03\x04\x00\x00 binary")

    with pytest.raises(TableError, match="not a text CSV"):
        read_table(path, SYNONYMS)


def test_a_stream_takes_the_first_sheet_the_importer_accepts_and_reads_rows_as_consumed(tmp_path):
    # given a workbook whose first sheet is a note and whose second lacks a needed column
    path = tmp_path / "book.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["说明：请填写第三页"])
    incomplete = book.create_sheet("旧表")
    incomplete.append(["姓名", "手机号"])
    incomplete.append(["王五", 13900000000])
    roster = book.create_sheet("名单")
    roster.append(["姓名", "身份证号"])
    for number in range(3):
        roster.append([f"人员{number}", f"11010519491231{number:03d}X"])
    book.save(path)

    def complete(table):
        if "id_number" not in table.canonical.values():
            raise TableError("缺少身份证号 / no ID column")

    table = stream_table(
        path, SYNONYMS, accept=lambda names: "name" in names, check=complete, every_sheet=True
    )

    assert table.header_number == 1 and table.last_row == 4
    assert next(table.rows) == (2, ["人员0", "11010519491231000X"])
    assert [number for number, _ in table.rows] == [3, 4]
    # and when no sheet is complete, the refusal is the answer
    with pytest.raises(TableError, match="no ID column"):
        stream_table(
            path, SYNONYMS, accept=lambda names: "phone" in names, check=complete, every_sheet=True
        )
