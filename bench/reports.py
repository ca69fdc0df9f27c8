"""The daily report of a district of 1,000,000 persons, on PostgreSQL: (a) the snapshot of one day
built for every street of the district (`report_build(..., rebuild=True)`, as the nightly task
builds them one street after the other), aim < 60 s, beside one `count(*)` over each table the
figures read, in the same run; (b) the district's report read from the snapshots
(`district_figures` of the day and the 14-day `district_series` of the trend keys), aim < 200 ms,
beside the same read for one street (`selectors.figures_on` and `selectors.series`), run in turn;
(c) the big screen's data endpoint (`GET /reports/screen/data/?street=`, the whole request through
Django's middleware, session and view, as a street commander), aim < 100 ms, beside the smallest
signed-in request there is (`GET /api/me/`), run in turn.
Prints one JSON line (each part on stderr as it comes) with min / median / max and the ratios.

    .venv/bin/python bench/reports.py [--builds 3] [--reads 200] [--only build|read]

The data: bench/reports_data.py (sizes in its docstring; --rebuild drops and builds it again).
The times are taken in the process (`time.perf_counter`): timing the process from outside would add
Django's start and the migrations check, seconds, to a read of milliseconds.
"""

import argparse
import json
import statistics
import sys
import time
from typing import Any

from reports_data import DATABASE_URL, DAY, DISTRICT, SERIES_DAYS, build, drop_database
from verification_data import setup

# The tables the figures read; counting each once is reading every row the snapshot comes from.
READ_TABLES = (
    "people_person",
    "regions_household",
    "regions_householdcolourchange",
    "measures_personmeasure",
    "measures_checkinslot",
    "measures_checkin",
    "testing_labresult",
    "testing_roundmark",
    "testing_vaccinationdose",
    "checkpoints_scan",
    "devices_devicealert",
    "venues_card",
    "command_taskassignment",
    "command_event",
    "residents_helprequest",
    "supplies_batch",
    "notify_recipient",
)


def spread(values: list[float], unit: str, digits: int = 1) -> dict:
    return {
        "n": len(values),
        f"min_{unit}": round(min(values), digits),
        f"median_{unit}": round(statistics.median(values), digits),
        f"max_{unit}": round(max(values), digits),
    }


def progress(out: dict, key: str, value: Any) -> None:
    out[key] = value
    print(json.dumps({key: value}, ensure_ascii=False), file=sys.stderr, flush=True)


def count_tables() -> float:
    """Seconds for one count(*) over each table the figures read."""
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cursor:
        for table in READ_TABLES:
            cursor.execute(f"SELECT count(*) FROM {table}")
            cursor.fetchone()
    return time.perf_counter() - started


def build_day(streets: list) -> float:
    """Seconds to rebuild DAY's snapshot of every street, one after the other."""
    from wangge.reports.services import report_build

    started = time.perf_counter()
    for street in streets:
        report_build(street=street, on=DAY, rebuild=True)
    return time.perf_counter() - started


def per_figure(streets: list) -> dict[str, float]:
    """Seconds each figure takes over all the streets (one pass of `compute`'s figures, each
    street in a transaction as `report_build` runs it)."""
    from django.db import transaction
    from django.utils import timezone

    from wangge.reports.figures import Day, activity, register, without_jit
    from wangge.reports.tree import Own, Tree

    spent: dict[str, float] = {}
    for street in streets:
        own, day = Own(Tree.of(street)), Day(DAY, timezone.now())
        with transaction.atomic():
            without_jit()
            for figure in (*register.FIGURES, *activity.FIGURES):
                started = time.perf_counter()
                figure(own, street, day)
                took = time.perf_counter() - started
                spent[figure.__name__] = spent.get(figure.__name__, 0) + took
    return {name: round(seconds, 2) for name, seconds in spent.items()}


def measure_build(args: argparse.Namespace, district: Any, out: dict) -> None:
    streets = list(district.streets.order_by("pk"))
    builds, counts = [], []
    build_day(streets)  # the warm-up, which also writes DAY's snapshots for the reads
    for _ in range(args.builds):
        builds.append(build_day(streets))
        counts.append(count_tables())
    progress(out, "build_all_streets", {**spread(builds, "s"), "streets": len(streets)})
    progress(out, "count_read_tables", spread(counts, "s", 2))
    ratios = [b / c for b, c in zip(builds, counts, strict=True)]
    progress(out, "ratio_build_to_count", round(statistics.median(ratios), 1))
    progress(out, "per_figure_s", per_figure(streets))


def measure_read(args: argparse.Namespace, district: Any, out: dict) -> None:
    from wangge.reports.catalogue import TREND_KEYS
    from wangge.reports.district import district_figures, district_series
    from wangge.reports.models import Level
    from wangge.reports.selectors import Choice, figures_on, series

    street = district.streets.order_by("pk").first()
    choice = Choice(Level.STREET, street.pk, street.name)

    def whole() -> Any:
        return district_figures(district, DAY), district_series(
            district, DAY, SERIES_DAYS, TREND_KEYS
        )

    def one() -> Any:
        return figures_on(choice, DAY), series(choice, DAY, SERIES_DAYS, TREND_KEYS)

    figures, trend = whole()
    if figures is None or None in trend[TREND_KEYS[0]]:
        sys.exit("the district lacks a snapshot in the 14 days: run with --only build first")
    whole_ms, one_ms = [], []
    for _ in range(args.reads):
        for run, into in ((whole, whole_ms), (one, one_ms)):
            started = time.perf_counter()
            run()
            into.append((time.perf_counter() - started) * 1000)
    progress(out, "read_district", spread(whole_ms, "ms", 2))
    progress(out, "read_one_street", spread(one_ms, "ms", 2))
    ratios = [w / o for w, o in zip(whole_ms, one_ms, strict=True)]
    progress(out, "ratio_district_to_street", round(statistics.median(ratios), 1))
    out["district_on_day"] = {key: figures.get(key, 0) for key in TREND_KEYS}


def measure_screen(args: argparse.Namespace, district: Any, out: dict) -> None:
    from django.test import Client

    from wangge.accounts.models import RoleAssignment, User
    from wangge.core.roles import Role

    street = district.streets.order_by("pk").first()
    commander, _ = User.objects.update_or_create(
        username="bench-commander", defaults={"must_change_password": False}
    )
    RoleAssignment.objects.get_or_create(user=commander, role=Role.COMMANDER, street=street)
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(commander)
    screen_url = f"/reports/screen/data/?street={street.pk}"
    for url in (screen_url, "/api/me/"):
        answer = client.get(url)
        if answer.status_code != 200:
            sys.exit(f"{url} answered {answer.status_code}")
    screen_ms, me_ms = [], []
    for _ in range(args.reads):
        for url, into in ((screen_url, screen_ms), ("/api/me/", me_ms)):
            started = time.perf_counter()
            client.get(url)
            into.append((time.perf_counter() - started) * 1000)
    progress(out, "screen_data", spread(screen_ms, "ms", 2))
    progress(out, "api_me", spread(me_ms, "ms", 2))
    ratios = [s / m for s, m in zip(screen_ms, me_ms, strict=True)]
    progress(out, "ratio_screen_to_me", round(statistics.median(ratios), 1))


def sizes(out: dict) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        out["database_size"] = cursor.fetchone()[0]
        out["rows"] = {}
        for table in READ_TABLES:
            cursor.execute(f"SELECT count(*) FROM {table}")
            out["rows"][table] = cursor.fetchone()[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--builds", type=int, default=3, help="timed builds of every street")
    parser.add_argument("--reads", type=int, default=200, help="timed reads, each kind")
    parser.add_argument("--only", choices=("data", "build", "read", "screen"))
    parser.add_argument("--rebuild", action="store_true", help="drop the data and build it again")
    args = parser.parse_args()
    if args.rebuild:
        drop_database()
    setup(DATABASE_URL)
    built = build()
    if built is not None:
        print(json.dumps({"built": built}), file=sys.stderr)
    if args.only == "data":
        return
    from wangge.regions.models import District

    district = District.objects.get(name=DISTRICT)
    out: dict[str, Any] = {"day": DAY.isoformat()}
    if args.only in (None, "build"):
        measure_build(args, district, out)
    if args.only in (None, "read"):
        measure_read(args, district, out)
    if args.only in (None, "screen"):
        measure_screen(args, district, out)
    if args.only is None:
        sizes(out)
    print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main()
