"""Hostile spreadsheets are refused before parsing, and a parser that dies fails only its own read."""

import pytest
from django.db import connection
from openpyxl import Workbook

from wangge.core import sheet_process
from wangge.core.spreadsheets import TableError, raw_rows, read_table
from wangge.core.tests.hostile_files import bomb_xlsx, declare_size, sparse_xlsx

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="tests that kill processes run on PostgreSQL only"
)
SYNONYMS = {"姓名": "name", "手机号": "phone"}


def small_sheet(path, rows):
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    workbook.save(path)
    return path


def test_a_sheet_declaring_the_whole_grid_is_refused_before_parsing(tmp_path):
    # given a 5 KB file whose sheet declares A1:XFD1048576 and has a cell there
    path = sparse_xlsx(tmp_path / "sparse.xlsx")

    # when / then
    with pytest.raises(TableError, match="16384列，超过上限256列 / .* 16384 columns"):
        list(raw_rows(path))


def test_a_sheet_without_a_declared_range_is_refused_by_its_real_extent(tmp_path):
    path = sparse_xlsx(tmp_path / "sparse.xlsx", dimension=False)

    with pytest.raises(
        TableError, match="工作表sheet1有16384列，超过上限256列 / sheet sheet1 has 16384 columns"
    ):
        list(raw_rows(path))


def test_rows_and_cells_beyond_their_limits_are_refused(settings, tmp_path):
    path = small_sheet(tmp_path / "t.xlsx", [["姓名", "手机号"]] + [["张三", "1"]] * 30)
    settings.WANGGE = {**settings.WANGGE, "SHEET_MAX_ROWS": 20}
    with pytest.raises(TableError, match="31行，超过上限20行"):
        list(raw_rows(path))
    settings.WANGGE = {**settings.WANGGE, "SHEET_MAX_ROWS": 1000, "SHEET_MAX_CELLS": 50}
    with pytest.raises(TableError, match="超过上限50个单元格"):
        list(raw_rows(path))


def test_a_member_inflating_beyond_the_limit_is_refused(settings, tmp_path):
    # given a sheet XML of 2 MB (a few KB compressed) and a limit of 1 MB
    settings.WANGGE = {**settings.WANGGE, "SHEET_MAX_MEMBER_BYTES": 1024 * 1024}
    path = bomb_xlsx(tmp_path / "bomb.xlsx", 2 * 1024 * 1024)
    assert path.stat().st_size < 20_000

    with pytest.raises(
        TableError,
        match="解压后有3 MB，超过上限1 MB / .* inflates to 3 MB, more than the limit of 1 MB",
    ):
        read_table(path, SYNONYMS)


def test_with_the_default_limits_a_declared_size_over_1_gb_is_refused_unread(tmp_path):
    # given an archive declaring 1,100 MB for its sheet (only the declared size is read)
    path = declare_size(small_sheet(tmp_path / "t.xlsx", [["姓名", "手机号"]]), 1100 * 1024**2)

    with pytest.raises(TableError, match="解压后有1100 MB，超过上限1024 MB"):
        list(raw_rows(path))


def test_a_member_that_inflates_beyond_its_declared_size_is_refused(settings, tmp_path):
    # given a 2 MB sheet XML whose archive declares 4 KB
    path = declare_size(bomb_xlsx(tmp_path / "bomb.xlsx", 2 * 1024 * 1024), 4096)

    with pytest.raises(
        TableError, match="压缩包已损坏或格式不支持（Bad CRC-32.*the archive is damaged"
    ):
        list(raw_rows(path))


def test_an_upload_larger_than_its_kind_allows_is_refused(settings, tmp_path):
    path = small_sheet(tmp_path / "t.xlsx", [["姓名", "手机号"], ["张三", "1"]])
    settings.WANGGE = {
        **settings.WANGGE,
        "UPLOAD_MAX_BYTES": {"lab": 1024, "default": 10 * 1024**2},
    }

    assert read_table(path, SYNONYMS).rows[0].values == {"name": "张三", "phone": "1"}
    with pytest.raises(
        TableError, match="超过此类导入的上限1 KB / .* more than the 1 KB allowed for this import"
    ):
        read_table(path, SYNONYMS, kind="lab")


def test_a_malformed_csv_is_refused_with_a_message(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("姓名,手机号\n" + "x" * 200_000 + ",1\n", encoding="utf-8")

    with pytest.raises(TableError, match="CSV文件格式错误.* / the CSV file is malformed"):
        read_table(path, SYNONYMS)


@postgresql_only
def test_a_parser_killed_by_a_signal_fails_only_that_read(monkeypatch, tmp_path):
    # given a parsing child that dies by SIGABRT
    path = small_sheet(tmp_path / "t.xlsx", [["姓名", "手机号"], ["张三", "1"]])
    monkeypatch.setattr(sheet_process, "CHILD_MODULE", "wangge.core.tests.aborting_parser")

    # when / then: this read fails with the signal named, and the next one works
    with pytest.raises(
        TableError, match="异常终止（信号SIGABRT）.* / .*stopped \\(signal SIGABRT\\)"
    ):
        read_table(path, SYNONYMS)
    monkeypatch.undo()
    assert len(read_table(path, SYNONYMS).rows) == 1


@postgresql_only
def test_a_parser_over_its_memory_limit_fails_only_that_read(settings, tmp_path):
    # given limits that let the whole grid through, and a child limited to 512 MB
    settings.WANGGE = {
        **settings.WANGGE,
        "SHEET_MAX_COLUMNS": 16_384,
        "SHEET_MAX_CELLS": 2**62,
        "SHEET_PARSER_MEMORY_BYTES": 512 * 1024**2,
    }
    path = sparse_xlsx(tmp_path / "sparse.xlsx")

    # when python-calamine tries to build seventeen billion cells, only the child dies
    with pytest.raises(TableError, match="内存|异常终止"):
        list(raw_rows(path))
