"""One worksheet's XML, read and edited in place (docs/reports.md, "一表通 templates: filling"):
its rows and cells by reference, its extent, formula cells and merged ranges, and the writes that
`workbook.fill` makes. No Django here."""

import math
import re
from collections.abc import Collection, Iterable

from lxml import etree

from wangge.core.cells import safe_value
from wangge.core.sheet_limits import LimitExceeded, Limits, check_extent, column_number
from wangge.reports.filling.ooxml import WorkbookError, tag

CELL = r"[A-Z]{1,3}[1-9][0-9]{0,6}"
REF = re.compile("([A-Z]{1,3})([1-9][0-9]{0,6})")
RANGE = re.compile(f"({CELL})(?::({CELL}))?")
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
MAX_TEXT = 32_767  # the most characters Excel keeps in a cell
Value = int | float | str | None


def split_ref(ref: object) -> tuple[int, int] | None:
    """An A1 reference of one cell ("C5") as (row, column) = (5, 3); None for anything else."""
    match = REF.fullmatch(ref) if isinstance(ref, str) else None
    return (int(match[2]), column_number(match[1])) if match else None


def column_letters(number: int) -> str:
    """A 1-based column number as letters: 1 → A, 27 → AA."""
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def range_bounds(text: str) -> tuple[int, int, int, int] | None:
    """A range ("A5:C6", or one cell) as (first row, first column, last row, last column)."""
    match = RANGE.fullmatch(text)
    first, last = (split_ref(match[1]), split_ref(match[2] or match[1])) if match else (None, None)
    return (*first, *last) if first and last else None


def cell_refusal(
    sheet: str, ref: str, formulas: Collection[str], merged: Iterable[str]
) -> str | None:
    """Why the cell may not be written, or None: it holds a formula, or it lies in a merged range
    without being its top-left cell (Excel shows only that one)."""
    if ref in formulas:
        return (
            f"工作表“{sheet}”的单元格{ref}含有公式，不能写入 / cell {ref} of sheet '{sheet}' holds "
            "a formula and is not written"
        )
    position = split_ref(ref)
    for merged_range in merged:
        bounds = range_bounds(merged_range)
        if position is None or bounds is None or position == bounds[:2]:
            continue
        if bounds[0] <= position[0] <= bounds[2] and bounds[1] <= position[1] <= bounds[3]:
            anchor = merged_range.split(":")[0]
            return (
                f"工作表“{sheet}”的单元格{ref}位于合并区域{merged_range}内，只能写入左上角{anchor} / "
                f"cell {ref} of sheet '{sheet}' lies in the merged range {merged_range}; only "
                f"its top-left cell {anchor} is written"
            )
    return None


def _check_extent(rows: int, columns: int, limits: Limits, sheet: str) -> None:
    try:
        check_extent(rows, columns, limits, (f"工作表“{sheet}”", f"sheet '{sheet}'"))
    except LimitExceeded as error:
        raise WorkbookError(str(error)) from error


class Sheet:
    """One worksheet's XML: its rows and cells by reference, its extent, formula cells and merged
    ranges. Every row and cell must carry its reference (Excel, WPS, LibreOffice and openpyxl all
    write them), so that a written cell goes where its reference says."""

    def __init__(self, tree: etree._ElementTree, name: str, limits: Limits) -> None:
        self.tree, self.name, self.limits = tree, name, limits
        root = tree.getroot()
        data = root.find(tag("sheetData"))
        if data is None:
            raise WorkbookError(f"工作表“{name}”没有数据区 / sheet '{name}' has no sheetData")
        self.data = data
        self.rows: dict[int, etree._Element] = {}
        self.cells: dict[str, etree._Element] = {}
        self.merged = [element.get("ref", "") for element in root.iter(tag("mergeCell"))]
        dimension = root.find(tag("dimension"))
        arrays: list[str] = []
        for row in data.iter(tag("row")):
            number = row.get("r", "")
            if not number.isdigit():
                raise WorkbookError(
                    f"工作表“{name}”有一行没有行号 / a row of sheet '{name}' carries no number"
                )
            self.rows[int(number)] = row
            for cell in row.iter(tag("c")):
                ref = cell.get("r", "")
                if split_ref(ref) is None:
                    raise WorkbookError(
                        f"工作表“{name}”第{number}行有单元格没有地址 / a cell in row {number} of "
                        f"sheet '{name}' carries no reference"
                    )
                self.cells[ref] = cell
                formula = cell.find(tag("f"))
                if formula is not None and formula.get("t") in ("array", "dataTable"):
                    arrays.append(formula.get("ref", ref))
        bounds = [b for b in map(range_bounds, [*self.merged, *arrays, *self.cells]) if b]
        rows = max([b[2] for b in bounds] + [max(self.rows, default=0)])
        columns = max([b[3] for b in bounds], default=0)
        _check_extent(rows, columns, limits, name)
        # The declared range costs nothing here (no grid is allocated by it), so it is no limit;
        # it widens the extent a mapping may name, as Excel's used range does.
        declared = range_bounds(dimension.get("ref", "")) if dimension is not None else None
        self.max_row = max(rows, declared[2] if declared else 0)
        self.max_column = max(columns, declared[3] if declared else 0)
        self.formulas = {ref for ref, cell in self.cells.items() if cell.find(tag("f")) is not None}
        for first_row, first_column, last_row, last_column in filter(
            None, map(range_bounds, arrays)
        ):
            for row_number in range(first_row, last_row + 1):
                for column in range(first_column, last_column + 1):
                    self.formulas.add(f"{column_letters(column)}{row_number}")

    def write(self, ref: str, value: Value) -> None:
        """Write a number as a number, a text as an inline string (sharedStrings.xml stays as it
        was), None as an empty cell; the cell keeps its style."""
        position = split_ref(ref)
        if position is None:
            raise WorkbookError(f"“{ref}”不是单元格地址 / '{ref}' is not a cell reference")
        _check_extent(*position, self.limits, self.name)
        refusal = cell_refusal(self.name, ref, self.formulas, self.merged)
        if refusal:
            raise WorkbookError(refusal)
        value = _checked(ref, value)
        cell = self.cells.get(ref)
        if cell is None:
            if value is None:
                return
            cell = self._new_cell(*position, ref)
        for old in [*cell.findall(tag("v")), *cell.findall(tag("is"))]:
            cell.remove(old)
        for attribute in ("t", "vm"):
            cell.attrib.pop(attribute, "")
        if value is None:
            return
        element = etree.SubElement(cell, tag("is") if isinstance(value, str) else tag("v"))
        cell.insert(0, element)  # before an extLst
        if isinstance(value, str):
            cell.set("t", "inlineStr")
            text = etree.SubElement(element, tag("t"))
            try:
                text.text = value
            except ValueError as error:
                raise WorkbookError(
                    f"单元格{ref}的文字含有不允许的字符 / the text for cell {ref} holds a character "
                    "a workbook cannot hold"
                ) from error
            if value != value.strip():
                text.set(XML_SPACE, "preserve")
        else:
            element.text = str(value) if isinstance(value, int) else repr(value)

    def _new_cell(self, row_number: int, column: int, ref: str) -> etree._Element:
        """A cell where there was none, in its row (made if missing) at its column's place. It
        takes the style Excel showed the empty cell with: its row's, else its column's."""
        row = self.rows.get(row_number)
        if row is None:
            row = etree.SubElement(self.data, tag("row"), r=str(row_number))
            later = [number for number in self.rows if number > row_number]
            if later:
                self.rows[min(later)].addprevious(row)
            self.rows[row_number] = row
        cell = etree.SubElement(row, tag("c"), r=ref)
        for other in row:
            position = split_ref(other.get("r")) if other.tag == tag("c") else (0, column + 1)
            if other is not cell and position and position[1] > column:
                other.addprevious(cell)
                break
        style = (
            row.get("s") if row.get("customFormat") in ("1", "true") else self._column_style(column)
        )
        if style is not None:
            cell.set("s", style)
        spans = row.get("spans", "").split(":")
        if len(spans) == 2 and all(part.isdigit() for part in spans):
            row.set("spans", f"{min(int(spans[0]), column)}:{max(int(spans[1]), column)}")
        else:
            row.attrib.pop("spans", "")
        dimension = self.tree.getroot().find(tag("dimension"))
        bounds = range_bounds(dimension.get("ref", "")) if dimension is not None else None
        if dimension is not None and bounds:
            first = f"{column_letters(min(bounds[1], column))}{min(bounds[0], row_number)}"
            last = f"{column_letters(max(bounds[3], column))}{max(bounds[2], row_number)}"
            dimension.set("ref", f"{first}:{last}")
        self.cells[ref] = cell
        return cell

    def _column_style(self, column: int) -> str | None:
        for element in self.tree.getroot().iter(tag("col")):
            low, high = element.get("min", ""), element.get("max", "")
            if low.isdigit() and high.isdigit() and int(low) <= column <= int(high):
                return element.get("style")
        return None

    def drop_cached_results(self) -> None:
        """Formula cells lose their cached result: a reader that does not calculate shows them
        empty rather than with a total of the template's old figures."""
        for formula in self.data.iter(tag("f")):
            cell = formula.getparent()
            if cell is not None:
                for old in cell.findall(tag("v")):
                    cell.remove(old)
                cell.attrib.pop("t", "")


def _checked(ref: str, value: object) -> Value:
    if value is None:
        return None
    if isinstance(value, float) and not math.isfinite(value):
        raise WorkbookError(f"单元格{ref}的值不是有限数 / the value for cell {ref} is not finite")
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise WorkbookError(
            f"单元格{ref}的值只能是数字或文字 / the value for cell {ref} must be a number or a text"
        )
    if isinstance(value, str):
        value = safe_value(value)
        if len(value) > MAX_TEXT:
            raise WorkbookError(
                f"单元格{ref}的文字超过{MAX_TEXT}个字符 / the text for cell {ref} is longer than "
                f"{MAX_TEXT} characters"
            )
    return value
