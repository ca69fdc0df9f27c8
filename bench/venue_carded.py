"""Listing a street's carded venues (the public page `v/carded/<street>/` and its selector) with
5,000 venues and 50,000 inspections, beside a plain count of the street's open cards in the same
run as the reference.

    .venv/bin/python bench/venue_carded.py [--venues 5000] [--inspections 50000] [--runs 30]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/wangge_bench_venues .venv/bin/python bench/venue_carded.py

On SQLite the database lives in a throw-away WANGGE_VAR_DIR under bench/out/ (git-ignored); on
PostgreSQL in the (fresh) database of DATABASE_URL. The data is made with bulk_create in a fixed
seed: one street of 10 communities × 5 grids, the venues spread over them and the kinds, ten
inspections each over the last 60 days, a yellow card for every failed one of the last 90 (open
or closed), one venue in twelve under an open card (a third of them red). Each measure runs
once to warm up, then `--runs` times. Prints one JSON object.
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
    os.environ.setdefault("WANGGE_VAR_DIR", str(ROOT / "bench" / "out" / "venue-carded-var"))

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from wangge.accounts.models import User  # noqa: E402
from wangge.regions.models import Community, District, Grid, Street  # noqa: E402
from wangge.venues.models import Card, Inspection, Venue, VenueKind  # noqa: E402
from wangge.venues.selectors.cards import carded_venues  # noqa: E402

BATCH = 2000


def build(venues: int, inspections: int) -> float | None:
    """Migrate and build the data once; the seconds it took, or None when reused."""
    call_command("migrate", verbosity=0)
    if Venue.objects.count() == venues:
        return None
    if Venue.objects.exists():
        sys.exit("the bench database holds other venues: use a fresh one")
    started = time.perf_counter()
    rng = random.Random(15)
    district = District.objects.create(name="金华市婺城区", code="330702")
    street = Street.objects.create(district=district, name="江南街道", code="330702001")
    grids = []
    for c in range(10):
        community = Community.objects.create(street=street, name=f"社区{c + 1}")
        grids += [Grid.objects.create(community=community, name=f"第{g + 1}网格") for g in range(5)]
    kinds = list(VenueKind.objects.all())
    inspector = User.objects.create_user(username="bench-inspector")
    now = timezone.now()
    rows = [
        Venue(
            name=f"场所{n:05d}",
            kind=rng.choice(kinds),
            grid=rng.choice(grids),
            code_sealed="",
            code_hash=f"bench-{n}",
            status="open",
        )
        for n in range(venues)
    ]
    Venue.objects.bulk_create(rows, batch_size=BATCH)
    made = list(Venue.objects.order_by("pk"))
    per_venue = inspections // venues
    checks = [
        Inspection(
            venue=venue,
            client_id=f"bench-{venue.pk}-{i}",
            inspector=inspector,
            at=now - timedelta(days=rng.uniform(0, 60)),
            passed=rng.random() > 0.1,
        )
        for venue in made
        for i in range(per_venue)
    ]
    Inspection.objects.bulk_create(checks, batch_size=BATCH)
    cards = []
    for inspection in Inspection.objects.filter(passed=False).select_related("venue"):
        cards.append(
            Card(
                venue=inspection.venue,
                colour="yellow",
                issued_at=inspection.at,
                issued_by=inspector,
                inspection=inspection,
                reason="检查不合格",
                deadline=timezone.localdate(inspection.at) + timedelta(days=3),
                closed_at=inspection.at + timedelta(days=2),
            )
        )
    for venue in rng.sample(made, venues // 12):
        colour = "red" if rng.random() < 0.33 else "yellow"
        cards.append(
            Card(
                venue=venue,
                colour=colour,
                issued_at=now - timedelta(days=rng.uniform(0, 5)),
                issued_by=inspector,
                reason="检查不合格",
                deadline=None if colour == "red" else timezone.localdate(now) + timedelta(days=2),
            )
        )
    Card.objects.bulk_create(cards, batch_size=BATCH)
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
    parser.add_argument("--venues", type=int, default=5000)
    parser.add_argument("--inspections", type=int, default=50000)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    build_seconds = build(args.venues, args.inspections)
    street = Street.objects.get(name="江南街道")
    # the page without the collected static files' manifest, as commander_home.py does
    plain = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    override_settings(STORAGES={**settings.STORAGES, "staticfiles": plain}).enable()
    client = Client(HTTP_HOST="localhost")
    url = reverse("venues:public_carded", args=[street.pk])

    def page() -> None:
        answer = client.get(url)
        assert answer.status_code == 200

    def reference() -> None:
        Card.objects.filter(
            closed_at__isnull=True, venue__grid__community__street_id=street.pk
        ).count()

    results = {
        "reference_count": timed(reference, args.runs),
        "selector": timed(lambda: carded_venues(street.pk), args.runs),
        "public_page": timed(page, args.runs),
    }
    print(
        json.dumps(
            {
                "benchmark": "venue_carded",
                "database": connection.vendor,
                "venues": Venue.objects.count(),
                "inspections": Inspection.objects.count(),
                "cards": Card.objects.count(),
                "carded_now": len(carded_venues(street.pk)),
                "build_seconds": round(build_seconds, 1) if build_seconds is not None else None,
                "results": results,
                "page_over_reference": round(
                    results["public_page"]["median_ms"] / results["reference_count"]["median_ms"], 1
                ),
            },
            ensure_ascii=False,
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
