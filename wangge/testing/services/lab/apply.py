"""Writing what lab_final decided: new results (in person order, so the indexes fill in sequence),
lab corrections with their history, and new rows of the resolution list (their ID numbers and
phones sealed, read again from the file: the staging tables hold only hashes)."""

from datetime import datetime
from pathlib import Path
from typing import Any

from django.db import connection
from django.utils import timezone

from wangge.core import crypto
from wangge.core.masking import mask_id_number, mask_phone
from wangge.testing.models import LabResult, ResultCorrection, UnmatchedResult
from wangge.testing.services.lab.rows import LabRow, lab_cells, parse_row, row_of
from wangge.testing.services.lab.sql import COUNTED, table
from wangge.testing.services.lab.stage import db_time, execute, fetch

_ANALYZE_AFTER = 10_000
_NEW_RESULT = "f.kind = 'result' AND f.seq = 1 AND f.r_id IS NULL"


def _routes(fixed_round: int | None, overlapping: bool) -> tuple[str, str]:
    """(column expression, join) giving each new result its round: the fixed one, else the round
    whose window holds the sample time on the person's grid, the latest-starting when rounds on a
    grid overlap."""
    if fixed_round is not None:
        return str(int(fixed_round)), ""
    if not overlapping:
        return "ro.round_id", (
            "LEFT JOIN lab_rounds ro ON ro.grid_id = f.grid_id "
            "AND f.sampled_at >= ro.starts_at AND f.sampled_at <= ro.ends_at"
        )
    return "ro.round_id", (
        "LEFT JOIN (SELECT q.line, q.round_id FROM (SELECT f.line, r.round_id, ROW_NUMBER() "
        "OVER (PARTITION BY f.line ORDER BY r.starts_at DESC, r.round_id DESC) AS n "
        "FROM lab_final f JOIN lab_rounds r ON r.grid_id = f.grid_id "
        f"AND f.sampled_at >= r.starts_at AND f.sampled_at <= r.ends_at WHERE {_NEW_RESULT}"
        ") q WHERE q.n = 1) ro ON ro.line = f.line"
    )


def insert_results(
    *, batch_id: int, fixed_round: int | None, overlapping: bool, now: datetime
) -> None:
    column, join = _routes(fixed_round, overlapping)
    execute(
        f"INSERT INTO {table(LabResult)} (round_id, person_id, subject_hash, street_id, "
        "source_import_id, sampled_at, tube_code, site_name, result, lab, reported_at, review, "
        f"created_at) SELECT {column}, f.person_id, f.subject_hash, f.street_id, %s, "
        "f.sampled_at, f.tube, f.site, f.final_result, f.lab, f.reported_at, '', %s "
        f"FROM lab_final f {join} WHERE {_NEW_RESULT} ORDER BY f.person_id, f.sampled_at",
        [batch_id, db_time(now)],
    )


def refresh_statistics(inserted: int) -> None:
    """After a large import on PostgreSQL, fresh planner statistics: coverage is asked for while
    results arrive, long before autovacuum would analyse the table."""
    if inserted >= _ANALYZE_AFTER and connection.vendor == "postgresql":
        execute(f"ANALYZE {table(LabResult)}")


def _history(select: str, params: list[Any]) -> None:
    execute(
        f"INSERT INTO {table(ResultCorrection)} (result_record_id, unmatched_id, old_result, "
        f"new_result, source_import_id, at) {select}",
        params,
    )


def apply_corrections(*, batch_id: int, now: datetime) -> list[int]:
    """Update corrected stored rows to the file's last word, keep every step as history; the ids
    of the results whose value changed."""
    stamp = [batch_id, db_time(now)]
    corrected = "f.outcome = 'correction'"
    same_sample = (
        "r.sampled_at = f.sampled_at AND r.tube_code = f.tube AND r.source_import_id = %s AND "
    )
    for who in (
        "f.person_id IS NOT NULL AND r.person_id = f.person_id",
        "f.person_id IS NULL AND r.person_id IS NULL AND r.subject_hash = f.subject_hash",
    ):
        _history(
            f"SELECT r.id, NULL, f.prior, f.result, %s, %s FROM lab_final f "
            f"JOIN {table(LabResult)} r ON {same_sample}{who} "
            f"WHERE f.kind = 'result' AND f.r_id IS NULL AND {corrected}",
            [*stamp, batch_id],
        )
    _history(
        f"SELECT f.r_id, NULL, f.prior, f.result, %s, %s FROM lab_final f "
        f"WHERE f.r_id IS NOT NULL AND {corrected}",
        stamp,
    )
    _history(
        f"SELECT f.u_record, f.u_id, f.prior, f.result, %s, %s FROM lab_final f "
        f"WHERE f.u_id IS NOT NULL AND {corrected}",
        stamp,
    )
    changed_results = fetch(
        "SELECT DISTINCT COALESCE(f.r_id, f.u_record), f.final_result FROM lab_final f "
        f"WHERE (f.r_id IS NOT NULL OR f.u_record IS NOT NULL) AND {corrected}"
    )
    changed_unmatched = fetch(
        f"SELECT DISTINCT f.u_id, f.final_result FROM lab_final f WHERE f.u_id IS NOT NULL AND {corrected}"
    )
    LabResult.objects.bulk_update(
        [LabResult(pk=pk, result=result) for pk, result in changed_results], ["result"]
    )
    UnmatchedResult.objects.bulk_update(
        [UnmatchedResult(pk=pk, result=result) for pk, result in changed_unmatched], ["result"]
    )
    return [pk for pk, _ in changed_results]


def insert_unmatched(
    *,
    path: Path | str,
    original_name: str,
    batch_id: int,
    street_id: int | None,
    round_id: int | None,
    now: datetime,
) -> None:
    """New rows of the resolution list; their ID numbers and phones are read again from the file
    and sealed. Lab corrections within the file are kept as their history."""
    wanted = {
        line: (reason, status, final)
        for line, reason, status, final in fetch(
            "SELECT line, reason, new_status, final_result FROM lab_final "
            "WHERE kind = 'unmatched' AND seq = 1 AND u_id IS NULL"
        )
    }
    if not wanted:
        return
    today = timezone.localdate()
    rows: list[UnmatchedResult] = []
    canonical, numbered = lab_cells(path, original_name)
    columns = list(canonical.items())
    for number, cells in numbered:
        if number in wanted:
            row = row_of(number, cells, columns)
            assert row is not None  # a wanted row was read before: it has cells
            read = parse_row(row, today)
            assert isinstance(read, LabRow)
            rows.append(_unmatched(read, *wanted[number], batch_id, street_id, round_id, now))
    UnmatchedResult.objects.bulk_create(rows, batch_size=2000)
    _history(
        f"SELECT NULL, u.id, f.prior, f.result, %s, %s FROM lab_final f "
        f"JOIN {table(UnmatchedResult)} u ON u.identity_key = f.identity_key "
        "AND u.sampled_at = f.sampled_at AND u.tube_code = f.tube AND u.source_import_id = %s "
        "WHERE f.kind = 'unmatched' AND f.u_id IS NULL AND f.outcome = 'correction'",
        [batch_id, db_time(now), batch_id],
    )


def _unmatched(
    row: LabRow,
    reason: str,
    status: str,
    final: str,
    batch_id: int,
    street_id: int | None,
    round_id: int | None,
    now: datetime,
) -> UnmatchedResult:
    unmatched = UnmatchedResult(
        street_id=street_id,
        round_id=round_id,
        source_import_id=batch_id,
        row_number=row.number,
        identity_key=row.identity_key,
        name=row.name,
        id_number_hash=row.id_hash,
        sampled_at=row.sampled_at,
        tube_code=row.tube,
        site_name=row.site,
        result=final,
        lab=row.lab,
        reported_at=row.reported_at,
        reason=reason,
        status=status,
    )
    if status == UnmatchedResult.Status.NOT_OURS:
        unmatched.decision_note = "沿用此前的处理 / earlier decision applied"
        unmatched.decided_at = now
    if row.id_number:
        unmatched.id_number_sealed = crypto.seal(row.id_number)
        unmatched.id_number_masked = mask_id_number(row.id_number)
    if row.phone:
        unmatched.phone_sealed = crypto.seal(row.phone)
        unmatched.phone_masked = mask_phone(row.phone)
    return unmatched


def flagged_tubes() -> set[str]:
    """Tubes with a positive or invalid sample that is new or corrected in this file."""
    return {
        tube
        for (tube,) in fetch(
            "SELECT DISTINCT tube FROM lab_final WHERE outcome IN ('new', 'correction') "
            "AND result IN ('positive', 'invalid') AND tube <> ''"
        )
    }


def counts() -> dict[str, int]:
    found = dict(fetch(f"SELECT {COUNTED} AS counted, COUNT(*) FROM lab_final GROUP BY 1"))
    return {name: int(found.get(name, 0)) for name in ("matched", "unmatched", "duplicates")}
