"""一表通 templates: what a district's .xlsx holds, and the template filled with figures
(docs/reports.md, "一表通 templates: filling").

openpyxl rebuilds a workbook from what it understood when it saves it, and drops what it did not
(images, some formatting). So a template is never loaded and saved whole: `fill` edits the XML of
the cells it writes, in the sheets it writes (lxml), asks Excel and WPS to recalculate on open,
and copies every other member of the archive as it was stored (`ooxml.Package.rewrite`).
No Django here: the limits come as an argument (`limits_from(settings.WANGGE[...])`).
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from lxml import etree

from wangge.core.sheet_limits import Limits
from wangge.reports.filling.ooxml import (
    Package,
    PackageLimits,
    WorkbookError,
    limits_from,
    serialise,
    tag,
)
from wangge.reports.filling.sheetxml import Sheet, Value, cell_refusal, column_letters, split_ref

__all__ = [
    "PackageLimits",
    "SheetInfo",
    "TemplateInfo",
    "WorkbookError",
    "cell_refusal",
    "column_letters",
    "fill",
    "inspect",
    "limits_from",
    "read_cells",
    "split_ref",
    "Value",
]

# The children of <workbook> before <calcPr> (ECMA-376 Part 1, 18.2.27): a new one goes after them.
BEFORE_CALC = {
    *("fileVersion", "fileSharing", "workbookPr", "workbookProtection", "bookViews", "sheets"),
    *("functionGroups", "externalReferences", "definedNames"),
}


@dataclass(frozen=True)
class SheetInfo:
    """A worksheet: its name, its part in the archive, and its extent (the largest row and column
    that a row, a cell, the declared dimension or a merged range reaches)."""

    name: str
    part: str
    max_row: int
    max_column: int


@dataclass(frozen=True)
class TemplateInfo:
    """What a mapping is checked against: the worksheets in the workbook's order, and per sheet
    name its formula cells (an array formula's whole range) and its merged ranges ("A1:F1")."""

    sheets: list[SheetInfo]
    formulas: dict[str, frozenset[str]]
    merged: dict[str, list[str]]

    def sheet(self, name: str) -> SheetInfo | None:
        return next((sheet for sheet in self.sheets if sheet.name == name), None)


def _sheet(package: Package, name: str, limits: Limits) -> Sheet:
    part = package.sheets.get(name)
    if part is None:
        raise WorkbookError(f"工作簿中没有工作表“{name}” / the workbook has no sheet '{name}'")
    return Sheet(package.xml(part), name, limits)


def inspect(content: bytes, *, limits: PackageLimits) -> TemplateInfo:
    """The template's worksheets with their extent, formula cells and merged ranges; WorkbookError
    if the file is no .xlsx we fill or is beyond the limits. One sheet's tree is held at a time."""
    package = Package(content, limits)
    info = TemplateInfo(sheets=[], formulas={}, merged={})
    for name, part in package.sheets.items():
        sheet = _sheet(package, name, limits.sheet)
        info.sheets.append(SheetInfo(name, part, sheet.max_row, sheet.max_column))
        info.formulas[name] = frozenset(sheet.formulas)
        info.merged[name] = sheet.merged
    if not info.sheets:
        raise WorkbookError("工作簿中没有工作表 / the workbook has no worksheet")
    return info


def _text(element: etree._Element) -> str:
    """A shared or inline string's text: its <t>, or its runs' (phonetic guides left out)."""
    texts = [element.find(tag("t")), *(run.find(tag("t")) for run in element.iter(tag("r")))]
    return "".join(text.text or "" for text in texts if text is not None)


def read_cells(
    content: bytes, sheet_name: str, refs: Iterable[str], *, limits: PackageLimits
) -> dict[str, str | int | float | None]:
    """The values of the cells named, as text or number (a whole number as an int); None for an
    empty or absent cell. Shared and inline strings are resolved; a boolean reads TRUE or FALSE,
    an ISO date cell its text."""
    package = Package(content, limits)
    sheet = _sheet(package, sheet_name, limits.sheet)
    strings: list[str] | None = None
    values: dict[str, str | int | float | None] = {}
    for ref in refs:
        cell = sheet.cells.get(ref)
        kind = cell.get("t", "n") if cell is not None else ""
        inline = cell.find(tag("is")) if cell is not None else None
        raw = cell.findtext(tag("v")) if cell is not None else None
        if kind == "inlineStr":
            values[ref] = _text(inline) if inline is not None else None
        elif not raw:
            values[ref] = None
        elif kind == "s":
            if strings is None:
                part = package.shared_strings_part
                root = package.xml(part).getroot() if part else etree.Element("none")
                strings = [_text(item) for item in root.iter(tag("si"))]
            index = int(raw) if raw.isdigit() else -1
            if not 0 <= index < len(strings):
                raise WorkbookError(
                    f"单元格{ref}的共享字符串无效 / cell {ref} names no shared string"
                )
            values[ref] = strings[index]
        elif kind == "b":
            values[ref] = "TRUE" if raw == "1" else "FALSE"
        elif kind in ("str", "e", "d"):
            values[ref] = raw
        else:
            values[ref] = _number(ref, raw)
    return values


def _number(ref: str, raw: str) -> int | float:
    try:
        number = float(raw)
    except ValueError as error:
        raise WorkbookError(f"单元格{ref}的数值无效 / cell {ref} holds no valid number") from error
    return int(number) if number.is_integer() else number


def fill(
    content: bytes, values: Mapping[tuple[str, str], Value], *, limits: PackageLimits
) -> bytes:
    """The template with the values written, keyed by (sheet name, "C5"). Only the sheets written
    and xl/workbook.xml change; every other member is copied as stored. WorkbookError for a formula
    cell, a merged cell that is not its range's top-left, a reference beyond the limits, a value
    that is neither number, text nor None, or a file that is no .xlsx we fill."""
    package = Package(content, limits)
    by_sheet: dict[str, dict[str, Value]] = {}
    for (sheet_name, ref), value in values.items():
        by_sheet.setdefault(sheet_name, {})[ref] = value
    changed = {}
    for sheet_name, cells in by_sheet.items():
        sheet = _sheet(package, sheet_name, limits.sheet)
        for ref, value in cells.items():
            sheet.write(ref, value)
        sheet.drop_cached_results()
        changed[package.sheets[sheet_name]] = serialise(sheet.tree)
    workbook = package.xml(package.workbook_part)
    root = workbook.getroot()
    calc = root.find(tag("calcPr"))
    if calc is None:
        calc = etree.SubElement(root, tag("calcPr"))
        before = [
            c for c in root if isinstance(c.tag, str) and etree.QName(c).localname in BEFORE_CALC
        ]
        if before:
            before[-1].addnext(calc)
    calc.set("fullCalcOnLoad", "1")
    changed[package.workbook_part] = serialise(workbook)
    return package.rewrite(changed)
