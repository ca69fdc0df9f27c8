"""Benchmark: import and route a verification list (协查名单), end to end, against a large register,
beside the same matching done row by row with ORM lookups.

    # SQLite: 10,000 rows against the 80,000-person demo street (seed_demo)
    .venv/bin/python bench/verification_import.py --persons 80000 --rows 10000
    # PostgreSQL: 100,000 rows against 1,000,000 persons written with COPY
    .venv/bin/python bench/verification_import.py --persons 1000000 --rows 100000 \\
        --database postgres://postgres@127.0.0.1:5432/wangge_bench_command

The register is made once and kept (bench/out/command-var on SQLite, the named PostgreSQL
database); `run` measures in a fresh process, so its peak memory is the import's own. The
row-by-row baseline matches a sample (--baseline-rows) of the same parsed rows and is
extrapolated; both must agree. Prints one JSON object; asserts nothing about the clock.
"""

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from verification_data import DEMO_STREET, PG_STREET, list_path, prepare, setup  # noqa: E402


def _timed(module: Any, name: str, spent: dict[str, float]) -> None:
    """Wrap module.name to add its wall time to spent[name] (bench instrumentation only)."""
    original = getattr(module, name)

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            spent[name] = spent.get(name, 0.0) + time.perf_counter() - started

    setattr(module, name, wrapper)


def row_by_row(rows: list, street_id: int, street_grids: dict[int, int]) -> dict[int, int | None]:
    """What one would write first: up to three ORM lookups per row, in the same priority."""
    from wangge.people.models import Person

    found: dict[int, int | None] = {}
    in_street = {"household__grid__community__street_id": street_id}
    for row in rows:
        match = None
        if row.id_hash:
            hit = (
                Person.objects.filter(id_type__in=row.id_types, id_number_hash=row.id_hash)
                .values_list("pk", "household__grid_id")
                .first()
            )
            if hit and hit[1] in street_grids:
                match = hit[0]
            elif hit:
                found[row.position] = None
                continue
        if match is None and row.phone_hash and row.name:
            hits = list(
                Person.objects.filter(phone_hash=row.phone_hash, name=row.name, **in_street)
                .exclude(id_number_hash="")
                .values_list("pk", "id_number_hash")[:2]
            )
            hits = [pk for pk, id_hash in hits if not row.id_hash or id_hash == row.id_hash]
            match = hits[0] if len(hits) == 1 else None
        if match is None and row.name and row.parsed and row.parsed.room:
            hits = list(
                Person.objects.filter(
                    name=row.name,
                    household__building__name=row.parsed.building,
                    household__room=row.parsed.room,
                    **in_street,
                ).values_list("pk", "household__building__compound__name", "household__unit")[:5]
            )
            hits = [
                pk
                for pk, compound, unit in hits
                if (not row.parsed.unit or row.parsed.unit == unit)
                and (
                    not row.parsed.compound
                    or compound in row.parsed.compound
                    or row.parsed.compound in compound
                )
            ]
            match = hits[0] if len(hits) == 1 else None
        found[row.position] = match
    return found


def run(args: argparse.Namespace, postgres: bool) -> dict[str, Any]:
    from wangge.command import matching
    from wangge.command.models import VerificationList
    from wangge.command.services import verification
    from wangge.core.spreadsheets import read_table
    from wangge.regions.models import Grid, Street

    street = Street.objects.get(name=PG_STREET if postgres else DEMO_STREET)
    VerificationList.objects.filter(street=street).delete()
    path = list_path(args)
    spent: dict[str, float] = {}
    _timed(verification, "_read", spent)
    _timed(matching, "match_rows", spent)
    _timed(verification, "_route", spent)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    cpu_before = time.process_time()
    started = time.perf_counter()
    with path.open("rb") as stream:
        vlist = verification.verification_list_import(
            street=street, stream=stream, original_name=path.name
        )
    seconds = time.perf_counter() - started
    cpu_seconds = time.process_time() - cpu_before
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    # the same parsed rows, matched set-based once more and row by row on a sample
    table = read_table(path, matching.SYNONYMS)
    rows = [matching.candidate_from(r.values, i, r.number) for i, r in enumerate(table.rows)]
    street_grids = dict(
        Grid.objects.filter(community__street=street).values_list("pk", "community_id")
    )
    sample = [row for row in rows if not row.rejected][: args.baseline_rows]
    started = time.perf_counter()
    baseline = row_by_row(sample, street.pk, street_grids)
    baseline_seconds = time.perf_counter() - started
    live = [row for row in rows if not row.rejected]
    started = time.perf_counter()
    matching.match_rows(rows, street.pk, street_grids)
    set_seconds = time.perf_counter() - started
    agree = sum(1 for row in sample if baseline[row.position] == row.person_id)
    extrapolated = baseline_seconds / len(sample) * len(live) if sample else 0.0
    return {
        "database": "postgresql" if postgres else "sqlite",
        "persons": args.persons,
        "rows": vlist.rows_total,
        "counts": vlist.counts,
        "import_seconds": round(seconds, 2),
        "import_cpu_seconds": round(cpu_seconds, 2),
        "rows_per_second": round(vlist.rows_total / seconds),
        "phases_seconds": {k.strip("_"): round(v, 2) for k, v in spent.items()},
        "write_and_alert_seconds": round(seconds - sum(spent.values()), 2),
        "peak_rss_mb": round(peak_mb),
        "rss_before_import_mb": round(rss_before / 1024),
        "matching": {
            "set_based_seconds": round(set_seconds, 2),
            "row_by_row_sample_rows": len(sample),
            "row_by_row_sample_seconds": round(baseline_seconds, 2),
            "row_by_row_ms_per_row": round(1000 * baseline_seconds / max(len(sample), 1), 3),
            "row_by_row_extrapolated_seconds": round(extrapolated, 1),
            "ratio": round(extrapolated / set_seconds, 1) if set_seconds else None,
            "sample_agreement": f"{agree}/{len(sample)}",
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=80_000)
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--baseline-rows", type=int, default=10_000)
    parser.add_argument("--database", default="", help="a PostgreSQL URL; SQLite when not given")
    parser.add_argument("--step", choices=["all", "prepare", "run"], default="all")
    args = parser.parse_args()
    if args.step == "all":
        command = [sys.executable, __file__, *sys.argv[1:]]
        prepared = json.loads(
            subprocess.check_output([*command, "--step", "prepare"]).splitlines()[-1]
        )
        measured = json.loads(subprocess.check_output([*command, "--step", "run"]).splitlines()[-1])
        print(json.dumps({**measured, "prepare": prepared}, ensure_ascii=False))
        return
    postgres = setup(args.database or None)
    result = prepare(args, postgres) if args.step == "prepare" else run(args, postgres)
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
