"""Filling the district's .xlsx templates (一表通, docs/reports.md "Filling a template"): the
package read and rewritten member by member (`ooxml`), one sheet's XML edited (`sheetxml`), the
public reads and the fill (`workbook`), and the mapping of cells to figures (`mapping`). The first
three import no Django (their limits come as arguments); the mapping reads the local time zone."""
