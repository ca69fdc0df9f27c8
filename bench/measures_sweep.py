"""The missed-check-in sweep and the 07:30 digest, set-based vs a per-person Python loop.

    .venv/bin/python bench/measures_sweep.py --measures 3000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/wangge_bench_measures \
        .venv/bin/python bench/measures_sweep.py --measures 100000

A street of persons under home isolation, each with two check-in slots: yesterday 16:00, already
marked missed by yesterday's sweep, and today 08:00, still open. The sweep runs at 10:30, past the
grace period, so every measure misses its morning slot — its second miss: the grid worker and the
community are alerted (the morning peak of a real street, every person at once). One health-code
change per person overnight feeds the digest.
Each sweep runs set-based (the service), then the state is reset and the same work is done by a
per-person loop; both must leave the same slots missed and send the same alerts. The loop runs on
at most --loop-limit measures and is extrapolated beyond that (said so in the output).
The database is the bench's own: a fresh SQLite file under bench/out/, or the PostgreSQL database
named in DATABASE_URL, dropped and created again. Prints JSON; asserts nothing about the clock.
"""

import argparse
import json
import os
import sys
import time
from collections import defaultdict
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
SHANGHAI = ZoneInfo("Asia/Shanghai")
TODAY = date(2022, 7, 10)
NOW = datetime(2022, 7, 10, 10, 30, tzinfo=SHANGHAI)


def setup(url: str | None) -> str:
    OUT.mkdir(parents=True, exist_ok=True)
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wangge.settings")
    os.environ.setdefault("WANGGE_VAR_DIR", str(OUT / "measures-var"))
    if url:
        os.environ["DATABASE_URL"] = url
        _recreate_postgres(url)
    else:
        path = OUT / "measures_sweep.sqlite3"
        for stale in OUT.glob("measures_sweep.sqlite3*"):
            stale.unlink()
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    return connection.vendor


def _recreate_postgres(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0].replace("postgres://", "postgresql://") + "/postgres"
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')


def build(total: int) -> dict[str, Any]:
    """One street; 10 grids per community, ~400 persons per grid; one grid worker per grid, one
    community worker and one doctor per community; every person under a measure."""
    from django.db import transaction

    from wangge.accounts.models import RoleAssignment, User
    from wangge.measures.models import (
        CheckInSlot,
        HealthCodeChange,
        MeasureType,
        PersonMeasure,
        RuleSet,
    )
    from wangge.measures.services.common import team_assignments
    from wangge.people.models import Assignment, Person
    from wangge.regions.models import Building, Community, Compound, Grid, Household, Street

    batch = 5000
    communities = max(1, total // 4000)
    with transaction.atomic():
        street = Street.objects.create(name="基准街道")
        rule_set = RuleSet.objects.create(name="基准方案", kind=RuleSet.Kind.LOCAL)
        kind = MeasureType.objects.create(
            rule_set=rule_set,
            name="7天居家隔离（基准）",
            category=MeasureType.Category.HOME_ISOLATION,
            household_colour=MeasureType.Colour.ORANGE,
            duration_days=7,
            checkin_times=["08:00", "16:00"],
        )
        grids, workers = [], {}
        for c in range(communities):
            community = Community.objects.create(street=street, name=f"社区{c}")
            compound = Compound.objects.create(community=community, name=f"小区{c}")
            for role, name in (("community_worker", "社工"), ("doctor", "片医")):
                user = User.objects.create(username=f"{role}{c}", full_name=f"{name}{c}")
                RoleAssignment.objects.create(user=user, role=role, community=community)
                workers[(role, community.pk)] = user
            for g in range(10):
                grid = Grid.objects.create(community=community, name=f"网格{g}")
                user = User.objects.create(username=f"grid{c}_{g}", full_name=f"网格员{c}-{g}")
                RoleAssignment.objects.create(user=user, role="grid_worker", grid=grid)
                building = Building.objects.create(compound=compound, grid=grid, name=f"{g}幢")
                grids.append((grid, building, user, workers[("doctor", community.pk)]))
        households = Household.objects.bulk_create(
            [
                Household(
                    building=grids[i % len(grids)][1], grid=grids[i % len(grids)][0], room=str(i)
                )
                for i in range((total + 2) // 3)
            ],
            batch_size=batch,
        )
        persons = Person.objects.bulk_create(
            [
                Person(
                    household=households[i // 3],
                    name=f"居民{i}",
                    name_pinyin=f"jumin{i}",
                    name_initials="jm",
                    id_number_sealed="x",
                    id_number_hash=f"h{i}",
                    id_number_masked="330***********0000",
                    id_last4="0000",
                    id_last6="000000",
                )
                for i in range(total)
            ],
            batch_size=batch,
        )
        grid_of = {grid.pk: (user, doctor) for grid, _, user, doctor in grids}
        measures = PersonMeasure.objects.bulk_create(
            [
                PersonMeasure(
                    person=person,
                    measure_type=kind,
                    start=TODAY - timedelta(days=1),
                    end=TODAY + timedelta(days=6),
                    reason="基准",
                    grid_worker=grid_of[households[i // 3].grid_id][0],
                    doctor=grid_of[households[i // 3].grid_id][1],
                )
                for i, person in enumerate(persons)
            ],
            batch_size=batch,
        )
        Assignment.objects.bulk_create(team_assignments(measures), batch_size=batch)
        yesterday = datetime(2022, 7, 9, 16, tzinfo=SHANGHAI)
        swept = datetime(2022, 7, 9, 18, 5, tzinfo=SHANGHAI)
        morning = datetime(2022, 7, 10, 8, tzinfo=SHANGHAI)
        CheckInSlot.objects.bulk_create(
            [
                slot
                for m in measures
                for slot in (
                    CheckInSlot(measure=m, due_at=yesterday, status="missed", missed_at=swept),
                    CheckInSlot(measure=m, due_at=morning),
                )
            ],
            batch_size=batch,
        )
        night = datetime(2022, 7, 10, 2, tzinfo=SHANGHAI)
        HealthCodeChange.objects.bulk_create(
            [
                HealthCodeChange(person=p, colour="yellow" if i % 10 else "red", changed_at=night)
                for i, p in enumerate(persons)
            ],
            batch_size=batch,
        )
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # statistics, as a database in service has them
    return {"communities": communities, "grids": len(grids), "persons": total}


def reset_sweep() -> None:
    from wangge.core.models import Alert
    from wangge.measures.models import CheckInSlot

    CheckInSlot.objects.filter(missed_at=NOW).update(status="open", missed_at=None)
    Alert.objects.all().delete()


def loop_sweep(now: datetime, limit: int) -> dict[str, int]:
    """The same sweep, person by person: each measure's slots read, marked and counted one by one."""
    from django.conf import settings
    from django.db import transaction

    from wangge.accounts.models import RoleAssignment
    from wangge.core.services import post_alert
    from wangge.measures.models import CheckInSlot, PersonMeasure

    cutoff = now - timedelta(minutes=settings.WANGGE.get("CHECKIN_GRACE_MINUTES", 120))
    workers: dict[int, set[str]] = defaultdict(set)
    communities: dict[int, set[str]] = defaultdict(set)
    missed = 0
    with transaction.atomic():
        for measure in PersonMeasure.objects.filter(status="active").order_by("pk")[:limit]:
            person = measure.person
            slots = CheckInSlot.objects.filter(measure=measure, status="open", due_at__lt=cutoff)
            for slot in slots:
                slot.status, slot.missed_at = "missed", now
                slot.save(update_fields=["status", "missed_at"])
                missed += 1
                if measure.grid_worker_id:
                    workers[measure.grid_worker_id].add(person.name)
                total = CheckInSlot.objects.filter(measure=measure, status="missed").count()
                if total >= 2 or not measure.grid_worker_id:
                    communities[person.household.grid.community_id].add(person.name)
        alerts = 0
        for user_id, names in workers.items():
            user = measure.grid_worker.__class__.objects.get(pk=user_id)
            alerts += len(
                post_alert([user], "measure_missed", f"{min(names)} 等 {len(names)} 人", "")
            )
        per_user: dict[int, set[str]] = defaultdict(set)
        for community_id, names in communities.items():
            for assignment in RoleAssignment.objects.filter(
                role="community_worker", community=community_id
            ):
                per_user[assignment.user_id] |= names
        for user_id, names in per_user.items():
            user = measure.grid_worker.__class__.objects.get(pk=user_id)
            alerts += len(
                post_alert([user], "measure_missed", f"{min(names)} 等 {len(names)} 人", "")
            )
    return {"missed": missed, "alerts": alerts}


def reset_digest() -> None:
    from wangge.core.models import Alert
    from wangge.measures.models import HealthCodeDigest

    HealthCodeDigest.objects.all().delete()
    Alert.objects.all().delete()


def loop_digest(now: datetime, limit: int) -> dict[str, int]:
    """The same digest, change by change: each person's workers looked up one by one."""
    from wangge.accounts.models import RoleAssignment, User
    from wangge.core.services import post_alert
    from wangge.measures.models import HealthCodeChange, PersonMeasure
    from wangge.measures.services.digest import digest_moment

    moment = digest_moment(now)
    since = moment - timedelta(days=1)
    counts: dict[int, set[int]] = defaultdict(set)
    changes = HealthCodeChange.objects.filter(changed_at__gte=since, changed_at__lt=moment)
    for change in changes.order_by("pk")[:limit]:
        grid = change.person.household.grid
        responsible = set(
            RoleAssignment.objects.filter(
                role="grid_worker", grid__in=[grid.pk, grid.parent_id]
            ).values_list("user", flat=True)
        )
        responsible |= set(
            RoleAssignment.objects.filter(
                role="community_worker", community=grid.community_id
            ).values_list("user", flat=True)
        )
        for measure in PersonMeasure.objects.filter(person=change.person_id, status="active"):
            responsible |= {
                m for m in (measure.grid_worker_id, measure.doctor_id, measure.police_id) if m
            }
        for user_id in responsible:
            counts[user_id].add(change.pk)
    alerts = 0
    for user_id, ids in counts.items():
        alerts += len(
            post_alert(
                [User.objects.get(pk=user_id)], "health_code_digest", f"{len(ids)} 次变码", ""
            )
        )
    return {"alerts": alerts, "changes": min(limit, changes.count())}


def timed(function: Any, *args: Any, **kwargs: Any) -> tuple[float, Any]:
    start = time.perf_counter()
    result = function(*args, **kwargs)
    return time.perf_counter() - start, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--measures", type=int, default=3000)
    parser.add_argument("--loop-limit", type=int, default=20000)
    args = parser.parse_args()
    vendor = setup(
        os.environ.get("DATABASE_URL") if "postgres" in os.environ.get("DATABASE_URL", "") else None
    )

    from django.urls import reverse

    from wangge.measures.services import checkin_mark_missed, health_code_send_digest

    reverse("measures:mine")  # load the URLconf once, as a running worker already has
    build_s, shape = timed(build, args.measures)
    limit = min(args.loop_limit, args.measures)
    scale = args.measures / limit

    sweep_s, sweep = timed(checkin_mark_missed, now=NOW)
    reset_sweep()
    loop_s, looped = timed(loop_sweep, NOW, limit)
    if limit == args.measures:
        assert looped["missed"] == sweep["missed"] and looped["alerts"] == sweep["alerts"], (
            sweep,
            looped,
        )

    digest_s, digest = timed(health_code_send_digest, now=NOW)
    reset_digest()
    loop_digest_s, looped_digest = timed(loop_digest, NOW, limit)
    if limit == args.measures:
        assert looped_digest["alerts"] == digest.recipients, (digest.recipients, looped_digest)

    print(
        json.dumps(
            {
                "benchmark": "measures_sweep",
                "database": vendor,
                "measures": args.measures,
                "slots": 2 * args.measures,
                "slots_due_in_sweep": args.measures,
                "street": shape,
                "build_s": round(build_s, 2),
                "missed_checkin_sweep": {
                    "set_based_s": round(sweep_s, 3),
                    "missed": sweep["missed"],
                    "alerts": sweep["alerts"],
                    "per_person_loop_s": round(loop_s * scale, 3),
                    "loop_measures_run": limit,
                    "loop_extrapolated": limit != args.measures,
                    "ratio": round(loop_s * scale / sweep_s, 1),
                },
                "digest_0730": {
                    "set_based_s": round(digest_s, 3),
                    "changes": digest.changes,
                    "recipients": digest.recipients,
                    "per_person_loop_s": round(loop_digest_s * scale, 3),
                    "ratio": round(loop_digest_s * scale / digest_s, 1),
                },
            },
            ensure_ascii=False,
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
