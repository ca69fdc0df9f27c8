"""A running sweep's progress over a street of about 30,000 households: the selector
(`campaign_progress`: counts per building, grid and community, and the persons checked) and the
progress API the page polls (`/api/sweeps/progress/<id>/`), as the street's commander and as one
grid worker, beside a plain count of the street's households in the same run as the reference.

    .venv/bin/python bench/sweep_progress.py [--persons 87000] [--runs 30]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/wangge_bench_sweeps .venv/bin/python bench/sweep_progress.py

On SQLite the database lives in a throw-away WANGGE_VAR_DIR under bench/out/ (git-ignored); on
PostgreSQL in the database of DATABASE_URL. Built once: the demo street's register
(`seed_demo --register-only --seed 1`; 87,000 persons give about 30,000 households), then one
running campaign over all its grids with a visit per household (bulk_create, fixed seed 17): two
thirds closed (answered 75 %, by proxy 10 %, refused 8 %, moved 7 %), the rest pending; an
answered visit accounted for its household's present members. Each
measure runs once to warm up, then `--runs` times, with the user loaded afresh each time as a
request loads it. Prints one JSON object.
"""

import argparse
import json
import os
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wangge.settings")
if not os.environ.get("DATABASE_URL"):
    os.environ.setdefault("WANGGE_VAR_DIR", str(ROOT / "bench" / "out" / "sweep-progress-var"))

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from wangge.accounts.models import RoleAssignment, User  # noqa: E402
from wangge.core.roles import Role  # noqa: E402
from wangge.people.models import Person  # noqa: E402
from wangge.regions.models import Grid, Household, Street  # noqa: E402
from wangge.sweeps.models import Campaign, CampaignStatus, Visit, VisitStatus  # noqa: E402
from wangge.sweeps.selectors.progress import campaign_progress  # noqa: E402

NAME = "基准扫楼"
BATCH = 5000
CLOSED = [
    (VisitStatus.ANSWERED, 0.75),
    (VisitStatus.PROXY, 0.10),
    (VisitStatus.REFUSED, 0.08),
    (VisitStatus.MOVED, 0.07),
]


def build(persons: int) -> float | None:
    """Migrate and build the street and its campaign once; the seconds it took, or None."""
    call_command("migrate", verbosity=0)
    if Campaign.objects.filter(name=NAME).exists():
        return None
    started = time.perf_counter()
    if not Street.objects.exists():
        call_command("seed_demo", persons=persons, seed=1, register_only=True, verbosity=0)
    street = Street.objects.order_by("pk").first()
    now = timezone.now()
    campaign = Campaign.objects.create(
        name=NAME,
        street=street,
        checks=["travel", "vaccination", "elderly"],
        deadline=now + timedelta(days=3),
        status=CampaignStatus.RUNNING,
        started_at=now,
    )
    grids = Grid.objects.filter(community__street=street)
    campaign.grids.set(grids)
    rng = random.Random(17)
    statuses, weights = zip(*CLOSED, strict=True)
    rows = []
    present = dict(
        Person.objects.filter(status=Person.Status.PRESENT)
        .order_by()
        .values_list("household_id")
        .annotate(n=Count("pk"))
    )
    households = Household.objects.filter(grid__in=grids).values_list(
        "pk", "grid_id", "building_id"
    )
    for pk, grid_id, building_id in households.iterator():
        visited = rng.random() < 2 / 3
        status = rng.choices(statuses, weights)[0] if visited else VisitStatus.PENDING
        checked = status in (VisitStatus.ANSWERED, VisitStatus.PROXY)
        rows.append(
            Visit(
                campaign=campaign,
                household_id=pk,
                grid_id=grid_id,
                building_id=building_id,
                status=status,
                persons=present.get(pk, 0) if checked else 0,
                closed_at=now if visited else None,
            )
        )
    Visit.objects.bulk_create(rows, batch_size=BATCH)
    for username, role, area in (
        ("bench-commander", Role.COMMANDER, {"street": street}),
        ("bench-grid", Role.GRID_WORKER, {"grid": grids.order_by("pk").first()}),
    ):
        user, _ = User.objects.get_or_create(username=username, defaults={"full_name": username})
        RoleAssignment.objects.get_or_create(user=user, role=role, **area)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return time.perf_counter() - started


def timed(run, runs: int) -> dict:
    run()
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        run()
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    return {
        "median_ms": round(statistics.median(timings), 2),
        "p95_ms": round(timings[max(0, round(len(timings) * 0.95) - 1)], 2),
        "max_ms": round(timings[-1], 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--persons", type=int, default=87_000)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    build_seconds = build(args.persons)
    campaign = Campaign.objects.get(name=NAME)
    street_id = campaign.street_id
    url = f"/api/sweeps/progress/{campaign.pk}/"
    clients = {}
    for username in ("bench-commander", "bench-grid"):
        clients[username] = Client(HTTP_HOST="localhost")
        clients[username].force_login(User.objects.get(username=username))

    def reference() -> None:
        Household.objects.filter(grid__community__street_id=street_id).count()

    def selector(username: str):
        def run() -> None:
            campaign_progress(user=User.objects.get(username=username), campaign=campaign)

        return run

    def api(username: str):
        def run() -> None:
            answer = clients[username].get(url)
            assert answer.status_code == 200, answer.status_code

        return run

    results = {
        "reference_count": timed(reference, args.runs),
        "selector_commander": timed(selector("bench-commander"), args.runs),
        "api_commander": timed(api("bench-commander"), args.runs),
        "selector_grid_worker": timed(selector("bench-grid"), args.runs),
        "api_grid_worker": timed(api("bench-grid"), args.runs),
    }
    progress = campaign_progress(
        user=User.objects.get(username="bench-commander"), campaign=campaign
    )
    reference_ms = results["reference_count"]["median_ms"]
    print(
        json.dumps(
            {
                "benchmark": "sweep_progress",
                "database": connection.vendor,
                "households": progress.total.total,
                "persons_checked": progress.total.persons,
                "done": progress.total.done,
                "grids": len(progress.grids),
                "buildings": len(progress.buildings),
                "build_seconds": round(build_seconds, 1) if build_seconds is not None else None,
                "results": results,
                "selector_over_reference": round(
                    results["selector_commander"]["median_ms"] / reference_ms, 1
                ),
                "api_over_reference": round(
                    results["api_commander"]["median_ms"] / reference_ms, 1
                ),
            },
            ensure_ascii=False,
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
