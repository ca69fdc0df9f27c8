"""The steps every import runs: read and check the rows, plan against the database, write, report.

Reading and checking needs no database writes and runs first, outside any transaction; matching
(the plan) reads only and runs next, also outside; the write then locks the batch, checks that what
the plan read is still so (planning again when it is not: snapshot.py) and writes in one
transaction, so what is matched is what is written and nothing is half-written.
"""

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from wangge.accounts.models import User
from wangge.core.origin import Origin
from wangge.core.roles import Role
from wangge.core.row_report import first_errors, media_relative
from wangge.core.services import audit_record, post_alert
from wangge.people.importing.areas import AreaIndex
from wangge.people.importing.planner import Plan, plan_import, stored_persons
from wangge.people.importing.reader import open_roster
from wangge.people.importing.report import write_error_report
from wangge.people.importing.rows import ParsedRow, Rejection, RowParser
from wangge.people.importing.snapshot import state_digest
from wangge.people.importing.writer import Writer
from wangge.people.models import ImportBatch, Person, Tag
from wangge.regions.models import Household, Street

PROGRESS_EVERY = 1000
REPORTS_DIR = "reports"
ANALYZE_AFTER_ROWS = 10_000

Progress = Callable[[int, int], None]


@dataclass
class ParsedFile:
    rows: list[ParsedRow]
    rejections: list[Rejection]
    labels: Callable[[str], str]
    data_rows: int


def parse_file(
    path: Path, name: str, progress: Progress | None = None, *, street_name: str = ""
) -> ParsedFile:
    """Read and check every row; no database writes. RosterReadError if the file is unreadable.

    Landlines written without area code take the area code of the street named, when it has one.
    """
    sheet = open_roster(path, name)
    area_code = Street.objects.filter(name=street_name).values_list("area_code", flat=True)
    parser = RowParser(
        header=sheet.header,
        tag_codes=dict(Tag.objects.values_list("name", "code")),
        today=timezone.localdate(),
        area_code=area_code.first() or "",
    )
    rows: list[ParsedRow] = []
    rejections: list[Rejection] = []
    count = 0
    for number, cells in sheet.rows:
        result = parser.parse(number, cells)
        if isinstance(result, ParsedRow):
            rows.append(result)
        else:
            rejections.append(result)
        count += 1
        if progress is not None and count % PROGRESS_EVERY == 0:
            progress(number, sheet.last_row)
    return ParsedFile(rows, rejections, sheet.header.label, count)


def _areas(parsed: ParsedFile, street_name: str, by: Any) -> AreaIndex:
    return AreaIndex.load(
        street_name=street_name,
        by=by,
        community_names={row.place[0] for row in parsed.rows},
    )


def plan_parsed(
    parsed: ParsedFile, street_name: str, by: Any, areas: AreaIndex | None = None
) -> Plan:
    """Match the rows against the database and count, with reads only."""
    if areas is None:
        areas = _areas(parsed, street_name, by)
    return plan_import(
        rows=parsed.rows,
        rejections=parsed.rejections,
        areas=areas,
        by=by,
        labels=parsed.labels,
    )


def write_report(source: Path, name: str, plan: Plan, stem: str) -> Path | None:
    """The error report under MEDIA_ROOT/reports, or None when no row was rejected or warned."""
    if not plan.rejections and not plan.warnings:
        return None
    destination = Path(settings.MEDIA_ROOT) / REPORTS_DIR / f"{stem}-rejected.xlsx"
    return write_error_report(
        source=source,
        name=name,
        rejections=plan.rejections,
        warnings=plan.warnings,
        destination=destination,
    )


def fail(batch: ImportBatch, message: str) -> ImportBatch:
    """Mark the batch failed, with why; its stored upload is deleted (a failed batch is not run
    again: the user uploads the corrected file)."""
    if batch.file:
        batch.file.delete(save=False)
    batch.status = ImportBatch.Status.FAILED
    batch.message = message[:500]
    batch.finished_at = timezone.now()
    batch.save(update_fields=["status", "message", "finished_at", "file"])
    return batch


def current_plan(plan: Plan, parsed: ParsedFile, street_name: str, by: Any) -> Plan:
    """`plan` when the areas and persons it read are still as it read them (read again here, under
    the batch's lock); else a plan made again from the database as it is now (snapshot.py)."""
    areas = _areas(parsed, street_name, by)
    if state_digest(areas, stored_persons(plan.read_keys, areas, by)) == plan.digest:
        return plan
    return plan_parsed(parsed, street_name, by, areas)


def write_batch(
    batch: ImportBatch, parsed: ParsedFile, plan: Plan, by: Any, origin: Origin = Origin.SYSTEM
) -> ImportBatch:
    """Write a planned batch in one transaction, audited; on any error nothing is written and the
    batch is failed."""
    path = Path(batch.file.path)
    try:
        with transaction.atomic():
            # Locked and checked inside the write's transaction: a second run of the same batch (a
            # job taken over from a worker that died) waits here, then finds it done and writes nothing.
            current = ImportBatch.objects.select_for_update().get(pk=batch.pk)
            if current.status != ImportBatch.Status.IMPORTING:
                return current
            plan = current_plan(plan, parsed, batch.street_name, by)
            parsed.rows.clear()  # the plan holds what the writer needs; let the rows go
            undo = Writer(plan=plan, batch=batch, now=timezone.now()).write()
            _alert_communities(plan, by)
            report = write_report(path, batch.original_name, plan, f"import-{batch.pk}")
            batch.street = plan.areas.street
            batch.status = ImportBatch.Status.DONE
            batch.rows_total = parsed.data_rows
            batch.counts = plan.counts
            batch.first_errors = first_errors(plan.rejections)
            batch.error_report = media_relative(report)
            batch.undo_data = undo
            batch.finished_at = timezone.now()
            batch.save()
            audit_record(
                actor=by,
                action="import",
                target=batch,
                target_label=f"{batch.street_name} · {batch.original_name}",
                changes={
                    **plan.counts,
                    "street": batch.street_name,
                    "created_areas": {model: len(pks) for model, pks in undo["created"].items()},
                },
                origin=origin,
            )
    except Exception as error:
        fail(batch, f"导入失败，未写入任何数据 / import failed, nothing was written: {error}")
        raise
    if batch.counts["created"] + batch.counts["updated"] >= ANALYZE_AFTER_ROWS:
        _analyze()
    return batch


def _analyze() -> None:
    """Fresh planner statistics after a large load: without them PostgreSQL plans searches as if
    the tables were nearly empty (docs/performance.md)."""
    tables = [Person._meta.db_table, Person.tags.through._meta.db_table, Household._meta.db_table]
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")


def _alert_communities(plan: Plan, by: Any) -> None:
    """Tell each community whose registered persons someone outside tried to import."""
    who = getattr(by, "username", "") or "system"
    for community_id, tails in plan.alerts.items():
        workers = User.objects.filter(
            role_assignments__community_id=community_id,
            role_assignments__role=Role.COMMUNITY_WORKER,
            is_active=True,
        ).distinct()
        listed = "、".join(tails[:20])
        post_alert(
            workers,
            "import_conflict",
            f"{who} 导入的花名册中有{len(tails)}人已登记在本社区（证件尾号{listed}），未导入，"
            f"请核实 / {len(tails)} persons registered in your community appeared in an import by "
            f"{who} outside it and were not imported; please check",
        )
