"""Coverage and the untested list over a district of N persons with one day's round of results.

    .venv/bin/python bench/testing_coverage.py [--persons 1000000] [--rows 1000000] [--repeat 3]

Uses the district, its round and its results from bench/testing_import.py (run it first; this
script imports the results itself when the table is empty). Timed, each --repeat times with the
user loaded afresh: coverage by grid for every grid of the district (as an administrator); one
street's coverage by community, grid and building (as its commander); one grid's untested list as
its grid worker (the count and the first page of 100, as the page shows it, and the whole list). Prints one JSON object; asserts nothing about the clock.
"""

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from testing_district import OUT, setup_django  # noqa: E402


def timed(repeat: int, work: Callable[[], Any]) -> dict[str, float]:
    seconds = []
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        seconds.append(time.perf_counter() - started)
    return {
        "best_ms": round(min(seconds) * 1000, 1),
        "median_ms": round(statistics.median(seconds) * 1000, 1),
    }


def staff(username: str, role: str, **area: Any) -> Any:
    from wangge.accounts.models import RoleAssignment, User

    user, created = User.objects.get_or_create(username=username, defaults={"full_name": username})
    if created:
        if role == "admin":
            user.is_superuser = True
            user.save()
        else:
            RoleAssignment.objects.create(user=user, role=role, **area)
    return user


def fresh(user: Any) -> Any:
    from wangge.accounts.models import User

    return User.objects.get(pk=user.pk)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    options = parser.parse_args()
    setup_django()
    from django.core.paginator import Paginator
    from testing_district import ensure_district
    from testing_import import ROUND, ensure_round, write_file

    from wangge.regions.models import Street
    from wangge.testing.models import LabResult, NucleicRound
    from wangge.testing.selectors.coverage import round_coverage, untested
    from wangge.testing.services.lab.importing import results_import

    ensure_district(options.persons)
    ensure_round()
    if not LabResult.objects.exists():
        path = OUT / f"testing-results-{options.persons}-{options.rows}.csv"
        if not path.exists():
            write_file(path, options.persons, options.rows, 1)
        results_import(path=path)
    district_round = NucleicRound.objects.get(name=ROUND)
    street = Street.objects.order_by("pk").first()
    grid = street.communities.order_by("pk").first().grids.order_by("pk").first()
    admin = staff("bench-admin", "admin")
    commander = staff("bench-commander", "commander", street=street)
    worker = staff("bench-grid", "grid_worker", grid=grid)

    def district() -> list[Any]:
        return round_coverage(district_round, fresh(admin), "grid")

    def street_level(level: str) -> Callable[[], Any]:
        return lambda: round_coverage(district_round, fresh(commander), level)

    def untested_page() -> int:
        page = Paginator(untested(district_round, fresh(worker)), 100).get_page(1)
        return len(list(page)) + page.paginator.count

    def untested_all() -> int:
        return len(list(untested(district_round, fresh(worker))))

    rows = district()
    mine = untested(district_round, fresh(worker)).count()
    print(
        json.dumps(
            {
                "benchmark": "testing_coverage",
                "database": "postgresql",
                "persons": options.persons,
                "grids": len(rows),
                "target": sum(row.target for row in rows),
                "tested": sum(row.tested for row in rows),
                "district_by_grid": timed(options.repeat, district),
                "street_by_community": timed(options.repeat, street_level("community")),
                "street_by_grid": timed(options.repeat, street_level("grid")),
                "street_by_building": timed(options.repeat, street_level("building")),
                "grid_untested_first_page": timed(options.repeat, untested_page),
                "grid_untested_whole_list": timed(options.repeat, untested_all),
                "grid_untested_persons": mine,
            },
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main()
