"""A phone's queue of 100 sweep attempts synced at once through /api/sweeps/sync/, beside the same
100 posted one by one (a batch of one each), and the same batch sent again (every item a duplicate).

    .venv/bin/python bench/sweep_sync.py                       # PostgreSQL
    .venv/bin/python bench/sweep_sync.py --database sqlite     # a SQLite file in bench/out/

In-process through Django's full stack (middleware, DRF, the service), as a grid worker with an
API token. Each attempt is ANSWERED with the whole form (residents, travel, vaccination, elderly
needs) for a household of three, so each runs the answer checks, the findings and the proposals.
Every run starts a new campaign over the bench grid (200 households), so the visits are pending.
Aim: the batch of 100 in < 2 s. Prints one JSON object (also bench/out/sweep-sync/result.json).
Asserts nothing.
"""

import argparse
import json
import sys
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out" / "sweep-sync"
VAR = OUT / "var"
PG_DEFAULT = "postgres://postgres@127.0.0.1:5432/wangge_bench_sweep_sync"
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

from scan_load import django_ready  # noqa: E402

HOUSEHOLDS, MEMBERS, ITEMS = 200, 3, 100


def street() -> tuple:
    """Once: a grid of 200 households of three; its grid worker."""
    from wangge.accounts.models import RoleAssignment, User
    from wangge.core.roles import Role
    from wangge.people.models import Person
    from wangge.regions.models import Building, Community, Compound, Grid, Household, Street

    grid = Grid.objects.filter(name="扫楼压测网格").first()
    if grid is None:
        place, _ = Street.objects.get_or_create(name="压测街道", defaults={"code": "330783998"})
        community = Community.objects.create(street=place, name="扫楼压测社区")
        grid = Grid.objects.create(community=community, name="扫楼压测网格")
        compound = Compound.objects.create(community=community, name="压测小区")
        building = Building.objects.create(compound=compound, grid=grid, name="1幢")
        homes = Household.objects.bulk_create(
            Household(building=building, grid=grid, unit="1", floor=n // 10 + 1, room=str(n))
            for n in range(HOUSEHOLDS)
        )
        persons = []
        for number, home in enumerate(homes):
            for member in range(MEMBERS):
                person = Person(household=home, birth_date=date(1950 + member * 20, 3, 1))
                person.set_name(f"压测{number}-{member}")
                person.set_id_number(f"P{number:05d}{member}")
                person.id_type = "passport"
                person.set_phone(f"1380000{number:03d}{member}")
                persons.append(person)
        Person.objects.bulk_create(persons)
        worker = User.objects.create_user(username="bench-sweeper", full_name="压测网格员")
        RoleAssignment.objects.create(user=worker, role=Role.GRID_WORKER, grid=grid)
    return grid, User.objects.get(username="bench-sweeper")


def batch(campaign, offset: int) -> list[dict]:
    from django.utils import timezone

    from wangge.people.models import Person

    at = (timezone.now() - timedelta(minutes=5)).isoformat()
    items = []
    for visit in campaign.visits.order_by("pk")[offset : offset + ITEMS]:
        ids = [
            str(pk)
            for pk in Person.objects.filter(household_id=visit.household_id).values_list(
                "pk", flat=True
            )
        ]
        answers = {
            "residents.present": dict.fromkeys(ids, True),
            "travel.away": dict.fromkeys(ids, False),
            "vaccination.doses": dict.fromkeys(ids, "none"),
            "elderly.need": True,
            "elderly.kind": "medicine",
            "elderly.detail": "降压药",
        }
        items.append(
            {
                "visit": visit.pk,
                "client_id": str(uuid.uuid4()),
                "at": at,
                "result": "answered",
                "answers": answers,
            }
        )
    return items


def timed(post, bodies: list[dict]) -> float:
    start = time.perf_counter()
    for body in bodies:
        answer = post("/api/sweeps/sync/", body, format="json")
        assert answer.status_code == 200, answer.content
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", default=PG_DEFAULT, help="a PostgreSQL URL, or sqlite")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    url = f"sqlite:///{OUT / 'bench.sqlite3'}" if args.database == "sqlite" else args.database
    if url.startswith("sqlite"):
        import os

        os.environ["DATABASE_URL"] = url
        os.environ["WANGGE_VAR_DIR"] = str(VAR)
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wangge.settings")
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
    else:
        django_ready(url, VAR)
    from django.conf import settings
    from django.utils import timezone
    from rest_framework.test import APIClient

    from wangge.accounts.models import User
    from wangge.sweeps.models import Attempt, Proposal
    from wangge.sweeps.services.campaigns import campaign_create, campaign_start

    settings.ALLOWED_HOSTS = ["*"]
    grid, worker = street()
    admin = User.objects.filter(is_superuser=True).first() or User.objects.create_superuser(
        username="bench-admin", password=None
    )
    campaign = campaign_create(
        by=admin,
        name=f"压测扫楼 {timezone.now():%H:%M:%S}",
        grids=[grid],
        checks=["travel", "vaccination", "elderly"],
        since=timezone.localdate() - timedelta(days=14),
        deadline=timezone.now() + timedelta(days=3),
    )
    campaign_start(by=admin, campaign=campaign)
    client = APIClient()
    client.force_authenticate(worker)
    client.get("/api/sweeps/campaigns/")  # a warm server: the URL configuration imported once
    together, alone = batch(campaign, 0), batch(campaign, ITEMS)
    proposals_before = Proposal.objects.count()
    batch_s = timed(client.post, [{"attempts": together}])
    one_by_one_s = timed(client.post, [{"attempts": [item]} for item in alone])
    replay_s = timed(client.post, [{"attempts": together}])
    result = {
        "database": "sqlite" if url.startswith("sqlite") else "postgresql",
        "attempts": ITEMS,
        "batch_s": round(batch_s, 3),
        "one_by_one_s": round(one_by_one_s, 3),
        "batch_over_one_by_one": round(batch_s / one_by_one_s, 2),
        "replay_duplicates_s": round(replay_s, 3),
        "recorded": Attempt.objects.filter(visit__campaign=campaign).count(),
        "proposals": Proposal.objects.count() - proposals_before,
        "aim_batch_s": 2.0,
    }
    text = json.dumps(result, indent=2)
    (OUT / "result.json").write_text(text)
    print(text)


if __name__ == "__main__":
    main()
