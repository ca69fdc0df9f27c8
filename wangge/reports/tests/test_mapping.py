"""A template's mapping: checked against the template, its community rows read, the values planned
from a day's figures and written (no database)."""

from datetime import UTC, date, datetime
from io import BytesIO
from typing import Any

import openpyxl
import pytest

from wangge.reports.filling.mapping import check_mapping, plan, row_names
from wangge.reports.filling.workbook import WorkbookError, fill, inspect
from wangge.reports.tests.builders import FIRST_ROW, LIMITS, MAPPING, SHEET, template

KEYS = {"measures.active", "checkins.missed", "tests.target", "tests.untested"}
MADE_AT = datetime(2026, 3, 1, 15, 59, tzinfo=UTC)  # 23:59 on 1 March in Beijing


@pytest.fixture(scope="module")
def blank() -> bytes:
    return template()


@pytest.fixture(scope="module")
def info(blank):
    return inspect(blank, limits=LIMITS)


def test_the_builders_mapping_is_good(info):
    assert check_mapping(MAPPING, info, KEYS) == []
    assert check_mapping({"sheet": SHEET, "cells": {"B2": "@street"}}, info, KEYS) == []


def test_every_problem_is_named(info):
    mapping = {
        "sheet": SHEET,
        "title": "日报",
        "cells": {
            "B2": "@tomorrow",
            "C0": "@day",
            "C10": "street:measures.active",
            "B1": "@street",
            "F3": "street:nope",
            "Z99": "@made_at",
            "C6": "@day",
        },
        "rows": {
            "name_column": "A",
            "first": 6,
            "last": 9,
            "columns": {
                "A": "measures.active",
                "c": "x",
                "C": "checkins.missed",
                "D": "tests.nope",
            },
            "step": 1,
        },
    }
    problems = check_mapping(mapping, info, KEYS)
    expected = [
        "the mapping has an unknown key 'title'",
        "cell B2: unknown source '@tomorrow'",
        "'C0' is not a cell reference",
        "cell C10 of sheet '日报' holds a formula",
        "cell B1 of sheet '日报' lies in the merged range A1:F1",
        "cell F3: there is no figure 'nope'",
        "cell Z99 lies outside the used range A1:F11 of sheet '日报'",
        "'rows' has an unknown key 'step'",
        "rows.columns.A: the same column as the community names",
        "rows.columns.c: not a column's letters",
        "rows.columns.D: there is no figure 'tests.nope'",
        "cell C6 is in both 'cells' and 'rows'",
    ]
    for words in expected:
        assert [p for p in problems if words in p], words
    assert len(problems) == len(expected)
    assert all(" / " in problem for problem in problems)  # bilingual


@pytest.mark.parametrize(
    ("rows", "says"),
    [
        ({"first": 9, "last": 6}, "rows.first (9) is after rows.last (6)"),
        ({"first": 6, "last": 40}, "rows.last (40) is beyond the 11 rows of sheet '日报'"),
        ({"first": "6", "last": 9}, "must be whole numbers from 1 (they are 6 and 9)"),
        ({"first": True, "last": 9}, "must be whole numbers from 1"),
        ({"first": 0, "last": 9}, "must be whole numbers from 1"),
        ({"name_column": "1"}, "rows.name_column '1' is not a column's letters"),
        ({"columns": []}, "rows.columns must be a JSON object"),
        (
            {"last": 10, "columns": {"B": "measures.active"}},
            "cell B10 of sheet '日报' holds a formula",
        ),
    ],
)
def test_rows_problems(info, rows, says):
    mapping = {"sheet": SHEET, "rows": {**MAPPING["rows"], **rows}}
    assert [problem for problem in check_mapping(mapping, info, KEYS) if says in problem]


@pytest.mark.parametrize(
    ("mapping", "says"),
    [
        ([], "the mapping must be a JSON object"),
        ({"sheet": "月报", "cells": {"A1": "@day"}}, "the template has no sheet '月报'"),
        ({"cells": {"A1": "@day"}}, "the template has no sheet 'None'"),
        ({"sheet": SHEET}, "the mapping needs 'cells', 'rows' or both"),
        ({"sheet": SHEET, "cells": ["B2"]}, "'cells' must be a JSON object"),
        ({"sheet": SHEET, "rows": "A6:A9"}, "'rows' must be a JSON object"),
    ],
)
def test_shape_problems(info, mapping, says):
    assert [problem for problem in check_mapping(mapping, info, KEYS) if says in problem]


def test_row_names_strip_blanks_and_skip_empty_rows():
    names = ["\u3000东社区 ", "", " 西社区", "南社区\u3000"]
    content = template(communities=names)
    mapping = {**MAPPING, "rows": {**MAPPING["rows"], "last": FIRST_ROW + 3}}
    assert row_names(content, mapping, limits=LIMITS) == {"东社区": 6, "西社区": 8, "南社区": 9}


def test_a_community_named_twice_is_refused():
    content = template(communities=["东社区", "西社区", "东社区 ", "北社区"])
    with pytest.raises(WorkbookError, match="'东社区' is named in row 6 and in row 8"):
        row_names(content, MAPPING, limits=LIMITS)


def _plan(rows: dict[str, int], **changes) -> dict:
    arguments: dict[str, Any] = {
        "street": "东湖街道",
        "day": date(2026, 3, 1),
        "made_at": MADE_AT,
        "community_figures": {"东社区": {"measures.active": 3, "checkins.missed": 1}, "西社区": {}},
        "street_figures": {"measures.active": 5},
    }
    return plan(MAPPING, rows, **(arguments | changes))


def test_plan_clears_what_is_not_approved(blank):
    rows = row_names(blank, MAPPING, limits=LIMITS)
    values = _plan(rows)
    assert {ref: values[(SHEET, ref)] for ref in ("B2", "F2", "F3", "C11")} == {
        "B2": "东湖街道",
        "F2": "2026-03-01",
        "F3": "2026-03-01 23:59",
        "C11": 5,
    }
    assert [values[(SHEET, f"{column}6")] for column in "CDE"] == [3, 1, 0]  # a missing key is 0
    assert [values[(SHEET, f"{column}7")] for column in "CDE"] == [0, 0, 0]
    assert [values[(SHEET, f"{column}8")] for column in "CDE"] == [None, None, None]
    assert len(values) == 4 + 4 * 3
    assert _plan(rows, street_figures=None)[(SHEET, "C11")] is None


def test_planned_values_are_written(blank):
    rows = row_names(blank, MAPPING, limits=LIMITS)
    sheet = openpyxl.load_workbook(BytesIO(fill(blank, _plan(rows), limits=LIMITS)))[SHEET]
    assert [[cell.value for cell in row] for row in sheet["A6:E8"]] == [
        ["东社区", 2, 3, 1, 0],
        ["西社区", 3, 0, 0, 0],
        ["南社区", 4, None, None, None],
    ]
    assert (sheet["B2"].value, sheet["F3"].value, sheet["C10"].value) == (
        "东湖街道",
        "2026-03-01 23:59",
        "=SUM(C6:C9)",
    )
