"""The mapping of a 一表通 template: which cell of the district's table takes which figure
(docs/reports.md, "一表通 templates: filling"). It is configuration, a JSON object kept on the
template's row:

    {"sheet": "日报",
     "cells": {"B2": "@street", "F2": "@day", "F3": "@made_at", "C20": "street:measures.active"},
     "rows": {"name_column": "A", "first": 5, "last": 12,
              "columns": {"C": "measures.active", "D": "checkins.missed"}}}

`check_mapping` says everything wrong with one against its template, `row_names` reads which row
is whose community, and `plan` turns a day's figures into the values `workbook.fill` writes.
"""

import re
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from django.utils import timezone

from wangge.reports.filling.workbook import (
    PackageLimits,
    SheetInfo,
    TemplateInfo,
    Value,
    WorkbookError,
    cell_refusal,
    column_letters,
    read_cells,
    split_ref,
)

STREET, DAY, MADE_AT = "@street", "@day", "@made_at"
STREET_FIGURE = "street:"
TOP_KEYS = ("sheet", "cells", "rows")
ROW_KEYS = ("name_column", "first", "last", "columns")
COLUMN = re.compile("[A-Z]{1,3}")


def check_mapping(mapping: object, info: TemplateInfo, figure_keys: set[str]) -> list[str]:
    """Every problem of the mapping against the template, each a bilingual message naming the key
    or cell; an empty list when it may be saved."""
    if not isinstance(mapping, dict):
        return ["映射必须是JSON对象 / the mapping must be a JSON object"]
    problems = [
        f"映射中有未知的键“{key}”（可用sheet、cells、rows） / the mapping has an unknown key "
        f"'{key}' (sheet, cells and rows are known)"
        for key in mapping
        if key not in TOP_KEYS
    ]
    name = mapping.get("sheet")
    sheet = info.sheet(name) if isinstance(name, str) else None
    if sheet is None:
        return [*problems, f"模板中没有工作表“{name}” / the template has no sheet '{name}'"]
    if "cells" not in mapping and "rows" not in mapping:
        problems.append("映射至少要有cells或rows / the mapping needs 'cells', 'rows' or both")
    written: set[str] = set()
    if "cells" in mapping:
        problems += _check_cells(mapping["cells"], sheet, info, figure_keys, written)
    if "rows" in mapping:
        problems += _check_rows(mapping["rows"], sheet, info, figure_keys, written)
    return problems


def _cell_problem(ref: object, sheet: SheetInfo, info: TemplateInfo) -> str | None:
    position = split_ref(ref)
    if position is None:
        return f"“{ref}”不是单元格地址（如C5） / '{ref}' is not a cell reference (such as C5)"
    if position[0] > sheet.max_row or position[1] > sheet.max_column:
        used = f"A1:{column_letters(sheet.max_column)}{sheet.max_row}"
        return (
            f"单元格{ref}在工作表“{sheet.name}”的使用范围{used}之外 / cell {ref} lies outside "
            f"the used range {used} of sheet '{sheet.name}'"
        )
    return cell_refusal(sheet.name, str(ref), info.formulas[sheet.name], info.merged[sheet.name])


def _unknown_figure(where: tuple[str, str], key: object) -> str:
    return f"{where[0]}：没有指标“{key}” / {where[1]}: there is no figure '{key}'"


def _check_cells(
    cells: object, sheet: SheetInfo, info: TemplateInfo, keys: set[str], written: set[str]
) -> list[str]:
    if not isinstance(cells, dict) or not cells:
        return ["cells必须是非空的JSON对象 / 'cells' must be a JSON object, not empty"]
    problems = []
    for ref, source in cells.items():
        problem = _cell_problem(ref, sheet, info)
        if problem:
            problems.append(problem)
        written.add(ref)
        if isinstance(source, str) and source.startswith(STREET_FIGURE):
            key = source.removeprefix(STREET_FIGURE)
            if key not in keys:
                problems.append(_unknown_figure((f"单元格{ref}", f"cell {ref}"), key))
        elif source not in (STREET, DAY, MADE_AT):
            problems.append(
                f"单元格{ref}的来源“{source}”未知（可用@street、@day、@made_at、street:指标） / cell "
                f"{ref}: unknown source '{source}' (@street, @day, @made_at or street:<figure>)"
            )
    return problems


def _row_range(first: object, last: object, sheet: SheetInfo) -> tuple[range, str | None]:
    """The rows first..last, or no rows and what is wrong with them."""
    if (
        isinstance(first, bool)
        or isinstance(last, bool)
        or not isinstance(first, int)
        or not isinstance(last, int)
        or min(first, last) < 1
    ):
        return range(0), (
            f"rows.first和rows.last必须是正整数（现为{first}、{last}） / rows.first and rows.last "
            f"must be whole numbers from 1 (they are {first} and {last})"
        )
    if first > last:
        return range(0), (
            f"rows.first（{first}）大于rows.last（{last}） / rows.first ({first}) is after "
            f"rows.last ({last})"
        )
    if last > sheet.max_row:
        return range(0), (
            f"rows.last（{last}）超出工作表“{sheet.name}”的{sheet.max_row}行 / rows.last ({last}) "
            f"is beyond the {sheet.max_row} rows of sheet '{sheet.name}'"
        )
    return range(first, last + 1), None


def _check_rows(
    rows: object, sheet: SheetInfo, info: TemplateInfo, keys: set[str], written: set[str]
) -> list[str]:
    if not isinstance(rows, dict):
        return ["rows必须是JSON对象 / 'rows' must be a JSON object"]
    problems = [
        f"rows中有未知的键“{key}”（可用name_column、first、last、columns） / 'rows' has an "
        f"unknown key '{key}' (name_column, first, last and columns are known)"
        for key in rows
        if key not in ROW_KEYS
    ]
    name_column, first, last = rows.get("name_column"), rows.get("first"), rows.get("last")
    if not (isinstance(name_column, str) and COLUMN.fullmatch(name_column)):
        problems.append(
            f"rows.name_column“{name_column}”不是列字母（如A） / rows.name_column '{name_column}' "
            "is not a column's letters (such as A)"
        )
    numbers, problem = _row_range(first, last, sheet)
    if problem:
        problems.append(problem)
    columns = rows.get("columns")
    if not isinstance(columns, dict) or not columns:
        return [
            *problems,
            "rows.columns必须是非空的JSON对象 / rows.columns must be a JSON object, not empty",
        ]
    for column, key in columns.items():
        where = f"rows.columns.{column}"
        if not (isinstance(column, str) and COLUMN.fullmatch(column)):
            problems.append(f"{where}：不是列字母 / {where}: not a column's letters")
            continue
        if column == name_column:
            problems.append(
                f"{where}：与社区名称列相同 / {where}: the same column as the community names"
            )
        if not isinstance(key, str) or key not in keys:
            problems.append(_unknown_figure((where, where), key))
        for number in numbers:
            ref = f"{column}{number}"
            problem = _cell_problem(ref, sheet, info)
            if problem is None and ref in written:
                problem = (
                    f"单元格{ref}在cells和rows中都有 / cell {ref} is in both 'cells' and 'rows'"
                )
            if problem:
                problems.append(problem)
                break
    return problems


def row_names(
    content: bytes, mapping: Mapping[str, Any], *, limits: PackageLimits
) -> dict[str, int]:
    """{community name: row number} of the mapping's rows, the names read from the template's name
    column (blanks, full-width ones too, taken off; rows without a name left out). A name in two
    rows is a WorkbookError: its figures would have nowhere certain to go."""
    block = mapping.get("rows")
    if not block:
        return {}
    numbers = {
        f"{block['name_column']}{number}": number
        for number in range(block["first"], block["last"] + 1)
    }
    names: dict[str, int] = {}
    for ref, value in read_cells(content, mapping["sheet"], numbers, limits=limits).items():
        name = value.strip() if isinstance(value, str) else ""
        if not name:
            continue
        if name in names:
            raise WorkbookError(
                f"社区“{name}”在第{names[name]}行和第{numbers[ref]}行出现两次 / the community "
                f"'{name}' is named in row {names[name]} and in row {numbers[ref]}"
            )
        names[name] = numbers[ref]
    return names


def plan(
    mapping: Mapping[str, Any],
    rows: Mapping[str, int],
    *,
    street: str,
    day: date,
    made_at: datetime,
    community_figures: Mapping[str, Mapping[str, int]],
    street_figures: Mapping[str, int] | None,
) -> dict[tuple[str, str], Value]:
    """The values to write, keyed by (sheet, cell). A community row whose community has no figures
    (its report not approved) is cleared, never given a text in a column of numbers; so are the
    street's figure cells when `street_figures` is None. A figure missing from a row is 0."""
    sheet = mapping["sheet"]
    stamp = timezone.localtime(made_at).strftime("%Y-%m-%d %H:%M")
    fixed = {STREET: street, DAY: day.isoformat(), MADE_AT: stamp}
    values: dict[tuple[str, str], Value] = {}
    for ref, source in mapping.get("cells", {}).items():
        if source in fixed:
            values[(sheet, ref)] = fixed[source]
        else:
            key = source.removeprefix(STREET_FIGURE)
            values[(sheet, ref)] = None if street_figures is None else street_figures.get(key, 0)
    columns = (mapping.get("rows") or {}).get("columns", {})
    for name, number in rows.items():
        figures = community_figures.get(name)
        for column, key in columns.items():
            values[(sheet, f"{column}{number}")] = None if figures is None else figures.get(key, 0)
    return values


def row_keys(mapping: Mapping[str, Any]) -> list[str]:
    """The figures the mapping writes into each community's row, in column order."""
    columns = (mapping.get("rows") or {}).get("columns", {})
    return [columns[column] for column in sorted(columns, key=lambda c: (len(c), c))]
