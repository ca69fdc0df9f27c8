"""The steps of a venue import: read and check the rows, plan against the register (reads only),
write in one transaction that locks the import, and report.

The plan is made before the write's lock; the write reads the register again under the lock and,
when anything the plan read has changed since (a venue registered or edited by hand, a grid given
to someone else), plans again from what it read, so what is written is what a plan made inside the
transaction would write.
"""

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from wangge.core.origin import Origin
from wangge.core.row_report import first_errors, media_relative, write_row_report
from wangge.core.services import audit_record
from wangge.regions.models import Street
from wangge.venues.importing.planner import Plan, plan_import
from wangge.venues.importing.reader import open_venues
from wangge.venues.importing.register import Register, state_digest
from wangge.venues.importing.rows import Rejection, RowParser, VenueRow, kind_lookup, notes
from wangge.venues.importing.writer import Writer
from wangge.venues.models import VenueImport, VenueKind

PROGRESS_EVERY = 1000
REPORTS_DIR = "reports"
Progress = Callable[[int, int], None]


@dataclass
class ParsedFile:
    rows: list[VenueRow]
    rejections: list[Rejection]
    labels: Callable[[str], str]  # a field's header as the file writes it
    headers: list[str]  # the header row as the file has it
    data_rows: int

    @property
    def usccs(self) -> set[str]:
        return {row.uscc for row in self.rows if row.uscc}


def parse_file(
    path: Path, name: str, street: Street, progress: Progress | None = None
) -> ParsedFile:
    """Read and check every row; no database writes. VenueReadError if the file is unreadable."""
    sheet = open_venues(path, name)
    kinds = kind_lookup(list(VenueKind.objects.values_list("pk", "name", "synonyms")))
    parser = RowParser(sheet=sheet, kinds=kinds, area_code=street.area_code)
    rows: list[VenueRow] = []
    rejections: list[Rejection] = []
    count = 0
    for number, cells in sheet.rows:
        result = parser.parse(number, cells)
        (rows if isinstance(result, VenueRow) else rejections).append(result)  # type: ignore[arg-type]
        count += 1
        if progress is not None and count % PROGRESS_EVERY == 0:
            progress(number, sheet.last_row)
    return ParsedFile(rows, rejections, sheet.label, sheet.labels, count)


def plan_parsed(parsed: ParsedFile, street: Street, by: Any) -> Plan:
    """Match the rows against the register and count, with reads only."""
    register = Register.load(street=street, by=by, usccs=parsed.usccs)
    return plan_import(
        rows=parsed.rows,
        rejections=list(parsed.rejections),
        register=register,
        labels=parsed.labels,
    )


def current_plan(plan: Plan, parsed: ParsedFile, street: Street, by: Any) -> Plan:
    """`plan` when what it read is still so (read again here, under the import's lock); else a
    plan made again from the register as it is now."""
    if state_digest(street=street, by=by, usccs=parsed.usccs) == plan.digest:
        return plan
    register = Register.load(street=street, by=by, usccs=parsed.usccs)
    return plan_import(
        rows=parsed.rows,
        rejections=list(parsed.rejections),
        register=register,
        labels=parsed.labels,
    )


def write_report(labels: list[str], plan: Plan, stem: str) -> Path | None:
    """The error report under MEDIA_ROOT/reports, or None when no row was rejected or warned; the
    rows' cells were kept as they were read, so the file is not read again."""
    if not plan.rejections and not plan.warned:
        return None
    cells = {rejection.row: rejection.cells for rejection in plan.rejections}
    cells.update((row.row, row.cells) for row in plan.warned)
    return write_row_report(
        labels=labels,
        rows=sorted(cells.items()),
        reasons={rejection.row: rejection.reason for rejection in plan.rejections},
        notes={row.row: notes(row.warnings) for row in plan.warned},
        destination=Path(settings.MEDIA_ROOT) / REPORTS_DIR / f"{stem}-rejected.xlsx",
    )


def fail(venue_import: VenueImport, message: str) -> VenueImport:
    """Mark the import failed, with why; its stored upload is deleted."""
    if venue_import.file:
        venue_import.file.delete(save=False)
    venue_import.status = VenueImport.Status.FAILED
    venue_import.message = message[:500]
    venue_import.finished_at = timezone.now()
    venue_import.save(update_fields=["status", "message", "finished_at", "file"])
    return venue_import


def write_import(
    venue_import: VenueImport, parsed: ParsedFile, plan: Plan, by: Any, origin: Origin
) -> VenueImport:
    """Write a planned import in one transaction that begins by locking the import (a second run
    finds it done and writes nothing), audited; on any error nothing is written and the import is
    failed."""
    try:
        with transaction.atomic():
            current = VenueImport.objects.select_for_update().get(pk=venue_import.pk)
            if current.status != VenueImport.Status.RUNNING:
                return current
            street = current.street
            plan = current_plan(plan, parsed, street, by)
            Writer(plan, by, timezone.now()).write()
            report = write_report(parsed.headers, plan, f"venues-{current.pk}")
            current.status = VenueImport.Status.DONE
            current.rows_total = parsed.data_rows
            current.counts = plan.counts
            current.first_errors = first_errors(plan.rejections)
            current.error_report = media_relative(report)
            current.finished_at = timezone.now()
            current.save()
            audit_record(
                actor=by,
                action="import",
                target=current,
                target_label=f"{street.name} · {current.original_name}",
                changes={**plan.counts, "street": street.name},
                origin=origin,
            )
            return current
    except Exception as error:
        fail(
            venue_import, f"导入失败，未写入任何数据 / import failed, nothing was written: {error}"
        )
        raise
