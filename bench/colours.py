"""Five-colour benchmark: the full recompute, set-based in the database, against the same recompute
as a Python loop over households; an incremental refresh; the floor plan of a 2,000-household
compound.

    .venv/bin/python bench/colours.py                      # the 80,000-person demo street
    .venv/bin/python bench/colours.py --persons 20000
    .venv/bin/python bench/colours.py --postgres postgres://postgres@127.0.0.1:5432

Builds the demo street (`seed_demo --persons N --seed 1`) in its own var dir under bench/out/
(kept and reused by later runs with the same N; --fresh rebuilds it), puts 3 % of the residents
under measures (a fifth red, three tenths orange, half yellow; through `measure_assign`), and adds a
compound of 2,000 households (8 towers, 25 floors, 2 units, 5 flats a floor) with residents and
tags. Then measures, median of --repeat runs:

- recompute_verify: `household_colours_recompute()` when every stored colour is right (one SELECT
  that evaluates the rule for every household);
- recompute_from_scratch: the same after every stored colour was reset to white (finds and corrects
  them all, with their history rows), rolled back afterwards;
- python_loop: the same check as a loop over households, three queries each (members, measures,
  override), the way one would write it without the database doing the work;
- refresh_one: `household_colours_refresh` of one household (what each service call adds);
- plan_*: the compound's floor plan: the plan itself (`build_plan`), the page's inline SVG, the
  printable A3 SVG (internal and notice-board), and the whole page through Django's test client.

With --postgres the same runs on PostgreSQL (database wangge_bench_colours, made afresh).
Prints one JSON object. Benchmarks assert nothing.
"""

import argparse
import json
import os
import platform
import random
import shutil
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out" / "colours"
PG_DATABASE = "wangge_bench_colours"
MEASURED_SHARE = 0.03
sys.path.insert(0, str(ROOT))


def setup(persons: int, postgres: str | None, fresh: bool) -> bool:
    """Point Django at the bench database; True when it must be built."""
    var = OUT / (f"pg-{persons}" if postgres else f"sqlite-{persons}")
    marker = var / "built"
    build = fresh or not marker.exists()
    if build and var.exists():
        shutil.rmtree(var)
    var.mkdir(parents=True, exist_ok=True)
    os.environ["WANGGE_VAR_DIR"] = str(var)
    os.environ.pop("DATABASE_URL", None)
    if postgres:
        if build:
            import psycopg

            with psycopg.connect(f"{postgres}/postgres", autocommit=True) as admin:
                admin.execute(f"DROP DATABASE IF EXISTS {PG_DATABASE}")
                admin.execute(f"CREATE DATABASE {PG_DATABASE}")
        os.environ["DATABASE_URL"] = f"{postgres}/{PG_DATABASE}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "wangge.settings"
    import django

    django.setup()
    return build


def build(persons: int) -> dict:
    from django.core.management import call_command

    from wangge.demo.seed import demo_street_create

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    demo_street_create(persons=persons, seed=1, outbreak=False)
    seeded = time.perf_counter() - started
    measured = put_under_measures(random.Random(1))
    compound = big_compound(random.Random(2))
    (Path(os.environ["WANGGE_VAR_DIR"]) / "built").write_text("ok")
    return {"seed_seconds": round(seeded, 1), "measured_persons": measured, "compound": compound}


def bench_types() -> dict:
    from wangge.measures.models import MeasureType, RuleSet

    rule_set, _ = RuleSet.objects.get_or_create(name="基准方案", defaults={"kind": "local"})
    categories = {"red": "key_attention", "orange": "home_isolation", "yellow": "health_monitoring"}
    return {
        colour: MeasureType.objects.get_or_create(
            rule_set=rule_set,
            name=f"基准{colour}",
            defaults={
                "category": category,
                "household_colour": colour,
                "duration_days": 14,
                "release_needs_negative": False,
            },
        )[0]
        for colour, category in categories.items()
    }


def put_under_measures(rng: random.Random) -> int:
    from django.utils import timezone

    from wangge.accounts.models import User
    from wangge.measures.services import measure_assign
    from wangge.people.models import Person

    types = bench_types()
    admin = User.objects.filter(is_superuser=True).first() or User.objects.get(
        username="demo-admin"
    )
    ids = list(Person.objects.filter(status="present").values_list("pk", flat=True))
    chosen = rng.sample(ids, round(len(ids) * MEASURED_SHARE))
    fifth, half = len(chosen) // 5, len(chosen) // 2
    groups = {"red": chosen[:fifth], "orange": chosen[fifth:half], "yellow": chosen[half:]}
    for colour, pks in groups.items():
        for start in range(0, len(pks), 500):
            measure_assign(
                by=admin,
                persons=list(Person.objects.filter(pk__in=pks[start : start + 500])),
                measure_type=types[colour],
                start=timezone.localdate(),
                reason="基准测试",
            )
    return len(chosen)


def big_compound(rng: random.Random) -> int:
    """基准花园: 8 towers × 25 floors × 2 units × 5 flats = 2,000 households, 8 % empty, with
    residents, tags and a few measures; returns its id."""
    from datetime import date

    from django.utils import timezone

    from wangge.accounts.models import User
    from wangge.core import crypto
    from wangge.core.identity import gb11643_check_digit
    from wangge.measures.services import measure_assign
    from wangge.people.models import Person, Tag
    from wangge.regions.choices import ColourReason
    from wangge.regions.colours import household_colours_refresh
    from wangge.regions.models import Building, Community, Compound, Grid, Household

    community = Community.objects.order_by("pk").first()
    grid = Grid.objects.filter(community=community).order_by("pk").first()
    compound = Compound.objects.create(community=community, name="基准花园")
    households = []
    for number in range(1, 9):
        building = Building.objects.create(
            compound=compound, grid=grid, name=f"{number}幢", units=2, floors=25
        )
        households += [
            Household(building=building, grid=grid, unit=str(u), floor=f, room=f"{f}{n:02d}")
            for u in (1, 2)
            for f in range(1, 26)
            for n in range(1, 6)
        ]
    Household.objects.bulk_create(households, batch_size=1000)
    people = []
    serial = 0
    for household in households:
        if rng.random() < 0.08:
            continue
        for _ in range(rng.randint(1, 4)):
            serial += 1
            born = date(1950 + serial % 55, 1 + serial % 12, 1 + serial % 28)
            first17 = f"330199{born:%Y%m%d}{serial % 1000:03d}"
            person = Person(household=household, birth_date=born)
            person.set_name(rng.choice("张王李赵刘陈杨黄周吴") + rng.choice("伟芳娜敏静强磊军洋艳"))
            person.id_number_sealed = ""
            person.id_number_hash = crypto.blind_index(f"{first17}{serial}")
            number = first17 + gb11643_check_digit(first17)
            person.id_number_masked = number[:3] + "*" * 11 + number[-4:]
            person.id_last4, person.id_last6 = number[-4:], number[-6:]
            people.append(person)
    Person.objects.bulk_create(people, batch_size=1000)
    tags = dict(Tag.objects.values_list("code", "pk"))
    through = Person.tags.through
    links = []
    for person in people:
        draw = rng.random()
        code = (
            "party_member"
            if draw < 0.07
            else "low_income"
            if draw < 0.09
            else "empty_nest"
            if draw < 0.11
            else None
        )
        if code:
            links.append(through(person_id=person.pk, tag_id=tags[code]))
    through.objects.bulk_create(links, batch_size=2000)
    household_colours_refresh(household_ids=[h.pk for h in households], reason=ColourReason.IMPORT)
    admin = User.objects.filter(is_superuser=True).first() or User.objects.get(
        username="demo-admin"
    )
    types = bench_types()
    chosen = rng.sample(people, 60)
    for colour, group in (("red", chosen[:12]), ("orange", chosen[12:30]), ("yellow", chosen[30:])):
        measure_assign(
            by=admin,
            persons=group,
            measure_type=types[colour],
            start=timezone.localdate(),
            reason="基准测试",
        )
    return compound.pk


def python_loop() -> int:
    """The recompute written as a loop over households: three queries each."""
    from django.utils import timezone

    from wangge.measures.models import PersonMeasure
    from wangge.people.colour_inputs import LIVING
    from wangge.people.models import Person
    from wangge.regions.choices import MEASURE_COLOUR_RANK
    from wangge.regions.models import Household, HouseholdColourOverride

    now = timezone.now()
    today = timezone.localdate(now)
    wrong = 0
    for pk, stored in Household.objects.values_list("pk", "colour").iterator(chunk_size=2000):
        override = (
            HouseholdColourOverride.objects.in_force(now)
            .filter(household_id=pk)
            .values_list("colour", flat=True)
            .first()
        )
        statuses = set(Person.objects.filter(household_id=pk).values_list("status", flat=True))
        implied = PersonMeasure.objects.active(today).filter(
            person__household_id=pk, person__status__in=LIVING
        )
        colours = set(implied.values_list("measure_type__household_colour", flat=True))
        if override:
            derived = override
        elif colours:
            derived = max(colours, key=MEASURE_COLOUR_RANK.__getitem__)
        else:
            derived = "green" if Person.Status.PRESENT in statuses else "white"
        wrong += derived != stored
    return wrong


def timed(function: Callable[[], object], repeat: int) -> tuple[float, object]:
    seconds, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = function()
        seconds.append(time.perf_counter() - started)
    return statistics.median(seconds), result


def from_scratch() -> tuple[float, int]:
    """Seconds and corrections of a recompute after every stored colour was reset to white (the
    reset and the corrections are rolled back afterwards)."""
    from django.db import transaction

    from wangge.regions.colours import household_colours_recompute
    from wangge.regions.models import Household

    with transaction.atomic():
        Household.objects.update(colour="white")
        started = time.perf_counter()
        corrected = len(household_colours_recompute().corrected)
        seconds = time.perf_counter() - started
        transaction.set_rollback(True)
    return seconds, corrected


def plan_figures(compound_id: int, repeat: int) -> dict:
    from django.test import Client

    from wangge.accounts.models import User
    from wangge.colours.floorplan import INTERNAL, PUBLIC, build_plan
    from wangge.colours.floorplan_svg import building_svg, print_svg
    from wangge.regions.models import Building, Compound, Household

    admin = User.objects.filter(is_superuser=True).first() or User.objects.get(
        username="demo-admin"
    )
    compound = Compound.objects.get(pk=compound_id)
    buildings = Building.objects.filter(compound=compound)

    def plan(version: str = INTERNAL) -> object:
        return build_plan(user=admin, compound=compound, buildings=buildings, version=version)

    data_s, internal = timed(plan, repeat)
    page_svg_s, _ = timed(lambda: [building_svg(b) for b in internal.buildings], repeat)
    print_s, printed = timed(lambda: print_svg(plan(), "a3"), repeat)
    public_s, _ = timed(lambda: print_svg(plan(PUBLIC), "a3"), repeat)
    client = Client(HTTP_HOST="localhost")
    client.force_login(admin)
    url = f"/regions/colours/compound/{compound_id}/"
    page_s, response = timed(lambda: client.get(url), repeat)
    return {
        "plan_households": Household.objects.filter(building__compound=compound).count(),
        "plan_data_ms": round(data_s * 1000, 1),
        "plan_page_svg_ms": round(page_svg_s * 1000, 1),
        "plan_print_internal_a3_ms": round(print_s * 1000, 1),
        "plan_print_public_a3_ms": round(public_s * 1000, 1),
        "plan_page_request_ms": round(page_s * 1000, 1),
        "plan_page_kb": round(len(response.content) / 1024),
        "plan_print_kb": round(len(printed) / 1024),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--persons", type=int, default=80_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--postgres", help="postgres://user@host:port (no database name)")
    parser.add_argument("--fresh", action="store_true", help="rebuild the bench database")
    args = parser.parse_args()
    built = setup(args.persons, args.postgres, args.fresh)
    made = build(args.persons) if built else {}

    from django.db import connection

    from wangge.regions.colours import household_colours_recompute, household_colours_refresh
    from wangge.regions.models import Compound, Household

    compound_id = made.get("compound") or Compound.objects.get(name="基准花园").pk
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # planner statistics after the measures and the compound
    verify_s, verified = timed(household_colours_recompute, args.repeat)
    scratch_s, scratch_corrected = from_scratch()
    loop_s, loop_wrong = timed(python_loop, 1)
    one = Household.objects.order_by("pk").values_list("pk", flat=True).first()
    refresh_s, _ = timed(
        lambda: household_colours_refresh(household_ids=[one], reason="recompute"), args.repeat
    )
    result = {
        "database": connection.vendor,
        "python": platform.python_version(),
        "persons": args.persons,
        "households": verified.households,
        **made,
        "recompute_verify_s": round(verify_s, 3),
        "recompute_verify_corrected": len(verified.corrected),
        "recompute_from_scratch_s": round(scratch_s, 3),
        "recompute_from_scratch_corrected": scratch_corrected,
        "python_loop_s": round(loop_s, 2),
        "python_loop_wrong": loop_wrong,
        "ratio_loop_over_set_based": round(loop_s / verify_s, 1),
        "refresh_one_ms": round(refresh_s * 1000, 2),
        **plan_figures(compound_id, args.repeat),
    }
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
