"""results_import: a lab file into results, the resolution list and the rejected rows.

Every non-blank data row is counted exactly once: matched + unmatched + duplicates + rejected =
data rows. The file is read as a stream: each row is parsed (rejected rows are stored with their
number and reason) and the others are staged in a temporary table (COPY on PostgreSQL). The rules
then run as a few set-based statements over all of it (testing.services.lab.sql), and their outcome is
written (testing.services.lab.apply). Pooled tubes, retests and positives follow (testing.services.pooling). One
transaction for the whole file.
"""

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from wangge.accounts.authority import user_can
from wangge.core.origin import Origin
from wangge.core.roles import Action
from wangge.core.services import audit_record
from wangge.regions.models import Street
from wangge.testing.models import NucleicRound, RejectedRow, ResultImport
from wangge.testing.selectors import round_grid_ids
from wangge.testing.services import pooling
from wangge.testing.services.lab import apply, sql, stage
from wangge.testing.services.lab.rows import LabRow, open_lab_file, parse_row

_REJECTED_BATCH = 2000


@dataclass
class _Reading:
    rejected: int = 0
    first: Any = None
    last: Any = None


def _stage_file(batch: ResultImport, path: Path | str, original_name: str) -> _Reading:
    today = timezone.localdate()
    reading = _Reading()
    rejected: list[RejectedRow] = []
    with stage.stage_writer() as write:
        for row in open_lab_file(path, original_name):
            read = parse_row(row, today)
            if not isinstance(read, LabRow):
                reading.rejected += 1
                rejected.append(
                    RejectedRow(
                        source_import=batch, row_number=row.number, reason="；".join(read)[:300]
                    )
                )
                continue
            write(read)
            if reading.first is None or read.sampled_at < reading.first:
                reading.first = read.sampled_at
            if reading.last is None or read.sampled_at > reading.last:
                reading.last = read.sampled_at
    for start in range(0, len(rejected), _REJECTED_BATCH):
        RejectedRow.objects.bulk_create(rejected[start : start + _REJECTED_BATCH])
    return reading


def _stage_rounds(reading: _Reading) -> bool:
    """The rounds whose window overlaps the file's sample times, by grid; whether two of them
    cover the same grid."""
    if reading.first is None:
        return False
    rounds = NucleicRound.objects.filter(starts_at__lte=reading.last, ends_at__gte=reading.first)
    rows = [
        (candidate.pk, grid_id, candidate.starts_at, candidate.ends_at)
        for candidate in rounds
        for grid_id in round_grid_ids(candidate)
    ]
    stage.stage_rounds(rows)
    return len({grid_id for _, grid_id, _, _ in rows}) < len(rows)


def street_for(round: NucleicRound | None, street: Street | None) -> int | None:
    if round is not None:
        return round.street_id
    if street is not None:
        return street.pk
    ids = list(Street.objects.values_list("pk", flat=True)[:2])
    return ids[0] if len(ids) == 1 else None


@transaction.atomic
def results_import(
    *,
    path: Path | str,
    by: Any = None,
    round: NucleicRound | None = None,
    street: Street | None = None,
    original_name: str = "",
    batch: ResultImport | None = None,
    origin: Origin = Origin.SYSTEM,
) -> ResultImport:
    """Import one lab file. `by` is the staff member (None from the command line, the system).

    With `round`, every result joins that round; without, a result joins the round whose scope and
    window contain it, else it is routine testing. Raises TableError if the file is unreadable.
    """
    if by is not None and not user_can(by, Action.IMPORT, round or street):
        raise PermissionDenied("您无权导入检测结果 / you may not import test results")
    original_name = original_name or Path(path).name
    street_id = street_for(round, street)
    if batch is not None:
        # Locked and checked inside the import's transaction: a second run of the same batch (a job
        # taken over from a worker that died) waits here, then finds it done and writes nothing.
        batch = ResultImport.objects.select_for_update().get(pk=batch.pk)
        if batch.status not in {ResultImport.Status.PENDING, ResultImport.Status.RUNNING}:
            return batch
    else:
        batch = ResultImport.objects.create(
            street_id=street_id, round=round, created_by=by, original_name=original_name
        )
    ResultImport.objects.filter(pk=batch.pk).update(status=ResultImport.Status.RUNNING)
    now = timezone.now()
    stage.create_stage()
    reading = _stage_file(batch, path, original_name)
    overlapping = _stage_rounds(reading) if round is None else False
    sql.build_subjects()
    sql.build_keyed()
    sql.build_final(stage.db_time(reading.first), stage.db_time(reading.last))
    fixed = round.pk if round is not None else None
    apply.insert_results(batch_id=batch.pk, fixed_round=fixed, overlapping=overlapping, now=now)
    corrected = apply.apply_corrections(batch_id=batch.pk, now=now)
    apply.insert_unmatched(
        path=path,
        original_name=original_name,
        batch_id=batch.pk,
        street_id=street_id,
        round_id=fixed,
        now=now,
    )
    counts = {**apply.counts(), "rejected": reading.rejected}
    apply.refresh_statistics(counts["matched"])
    tubes = apply.flagged_tubes()
    stage.drop_all()
    span = (reading.first, reading.last) if reading.first is not None else None
    pooling.after_import(
        batch=batch, flagged_tubes=tubes, span=span, corrected_ids=corrected, by=by
    )
    batch.counts = {key: counts[key] for key in ("matched", "unmatched", "duplicates", "rejected")}
    batch.status = ResultImport.Status.DONE
    batch.finished_at = timezone.now()
    batch.save(update_fields=["counts", "status", "finished_at"])
    audit_record(actor=by, action="import", target=batch, changes=batch.counts, origin=origin)
    return batch
