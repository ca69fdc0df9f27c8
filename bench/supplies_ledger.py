"""The supplies ledger at 1,000,000 moves, on PostgreSQL: (a) stock by place — every item at
every place of the street, as the dashboard reads it (usable and expired units from the batches'
balances) — and the dashboard's other ledger read, the units issued in the last 7 days, each
beside the same stock summed from the ledger rows; (b) an issue through `services.stock.issue` (first expiry first out over
several batches, ledger rows, audit) beside a bare single-row INSERT of a move. Prints one JSON
object with min / median / p95 and the ratios.

    psql -h 127.0.0.1 -U postgres -c "CREATE DATABASE wangge_bench_supplies"
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/wangge_bench_supplies \\
        .venv/bin/python bench/supplies_ledger.py [--moves 1000000] [--runs 30] [--issues 500]

Built once (later runs reuse it; drop the database after the migrations change): one street with
10 communities, 31 places (the street warehouse and 3 per community), 40 items, 5 batches of each
item at each place (6,200 batches), and the ledger in two INSERT … SELECT statements over
generate_series — a purchase per batch and the rest issues (every 20th a write-off) of 1–3 units,
evenly over the 60 days after the batch's receipt (3 to 368 days ago) or up to today, so the
year's moves fall about evenly on its days; each row's `balance` the batch's running balance (a window sum), every
batch's quantity its ledger's sum (0–10 units left, so an issue of 3–12 units spans batches).
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

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import Q, Sum  # noqa: E402
from django.utils import timezone  # noqa: E402

from wangge.accounts.models import RoleAssignment, User  # noqa: E402
from wangge.core.roles import Role  # noqa: E402
from wangge.regions.models import Community, Street  # noqa: E402
from wangge.supplies.models import (  # noqa: E402
    Batch,
    BatchSource,
    Item,
    ItemCategory,
    MoveKind,
    Place,
    PlaceKind,
    RecipientKind,
    StockMove,
    not_reversed,
)
from wangge.supplies.services import stock  # noqa: E402

STREET = "基准物资街道"
COMMUNITIES = 10
ITEMS = 40
BATCHES_PER_PAIR = 5
BURN_DAYS = 7
ACTIVE_DAYS = 60  # a batch is issued over the 60 days after its receipt (or until today)

ISSUES_SQL = """
WITH g AS (
    SELECT n, (n - 1) %% %(batches)s + 1 AS idx, (n - 1) / %(batches)s + 1 AS seq, 1 + n %% 3 AS c
    FROM generate_series(1, %(issues)s) AS n
), w AS (
    SELECT g.*, SUM(c) OVER (PARTITION BY idx ORDER BY seq DESC) AS rest FROM g
)
INSERT INTO supplies_stockmove (at, kind, place_id, item_id, batch_id, change, balance, note,
    write_off_reason, fefo_reason, recipient_kind, recipient_label)
SELECT b.received_at + LEAST(now() - b.received_at, interval '%(active_days)s days')
           * (w.seq / (%(per_batch)s + 1.0)),
       CASE WHEN w.n %% 20 = 0 THEN 'write_off' ELSE 'issue' END,
       b.place_id, b.item_id, b.id, -w.c, b.left_over + w.rest - w.c, '',
       CASE WHEN w.n %% 20 = 0 THEN 'damaged' ELSE '' END, '',
       CASE WHEN w.n %% 20 = 0 THEN '' ELSE 'other' END,
       CASE WHEN w.n %% 20 = 0 THEN '' ELSE '基准领用' END
FROM w JOIN bench_batch b ON b.idx = w.idx
"""
RECEIPTS_SQL = """
INSERT INTO supplies_stockmove (at, kind, place_id, item_id, batch_id, change, balance, note,
    write_off_reason, fefo_reason, recipient_kind, recipient_label)
SELECT b.received_at, 'purchase', b.place_id, b.item_id, b.id, b.left_over + COALESCE(t.out, 0),
       b.left_over + COALESCE(t.out, 0), '', '', '', '', ''
FROM bench_batch b
LEFT JOIN (SELECT batch_id, -SUM(change) AS out FROM supplies_stockmove GROUP BY batch_id) t
       ON t.batch_id = b.id
"""


def build(moves: int) -> float | None:
    """Migrate and build the street and its ledger once; the seconds it took, or None."""
    call_command("migrate", verbosity=0)
    if Street.objects.filter(name=STREET).exists():
        return None
    started = time.perf_counter()
    with transaction.atomic():
        fill(moves)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE supplies_stockmove")
        cursor.execute("ANALYZE")
    return time.perf_counter() - started


def fill(moves: int) -> Street:
    street = Street.objects.create(name=STREET)
    places = [Place(street=street, name="街道物资仓库", kind=PlaceKind.STREET_WAREHOUSE)]
    for n in range(COMMUNITIES):
        community = Community.objects.create(street=street, name=f"基准社区{n + 1}")
        for kind in (PlaceKind.COMMUNITY_STORE, PlaceKind.SERVICE_POINT, PlaceKind.AGREEMENT):
            places.append(
                Place(street=street, community=community, kind=kind, name=f"{community}-{kind}")
            )
    places = Place.objects.bulk_create(places)
    categories = ItemCategory.values
    items = Item.objects.bulk_create(
        Item(
            street=street,
            name=f"基准物资{n + 1}",
            category=categories[n % len(categories)],
            unit="个",
        )
        for n in range(ITEMS)
    )
    now, today = timezone.now(), timezone.localdate()
    batches = []
    for place in places:
        for item in items:
            for lot in range(BATCHES_PER_PAIR):
                idx = len(batches) + 1
                batches.append(
                    Batch(
                        item=item,
                        place=place,
                        lot=f"L{idx}",
                        source=BatchSource.PURCHASE,
                        expiry=today + timedelta(days=(idx * 7) % 400 - 30 + lot),
                        received_at=now - timedelta(days=3 + idx % 365),
                        quantity=idx % 11,
                    )
                )
    batches = Batch.objects.bulk_create(batches, batch_size=5000)
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMPORARY TABLE bench_batch ON COMMIT DROP AS SELECT row_number() OVER "
            "(ORDER BY id) AS idx, id, place_id, item_id, received_at, quantity AS left_over "
            "FROM supplies_batch WHERE id = ANY(%s)",
            [[b.pk for b in batches]],
        )
        cursor.execute("CREATE INDEX ON bench_batch (idx)")
        issues = moves - len(batches)
        cursor.execute(
            ISSUES_SQL,
            {
                "batches": len(batches),
                "issues": issues,
                "per_batch": -(-issues // len(batches)),
                "active_days": ACTIVE_DAYS,
            },
        )
        cursor.execute(RECEIPTS_SQL)
    user, _ = User.objects.get_or_create(username="bench-supplies", defaults={"full_name": "基准"})
    RoleAssignment.objects.get_or_create(user=user, role=Role.COMMANDER, street=street)
    return street


def timed(run, runs: int) -> dict:
    run()
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        run()
        timings.append((time.perf_counter() - started) * 1000)
    return summary(timings)


def summary(timings: list[float]) -> dict:
    timings = sorted(timings)
    return {
        "n": len(timings),
        "min_ms": round(timings[0], 2),
        "median_ms": round(statistics.median(timings), 2),
        "p95_ms": round(timings[max(0, round(len(timings) * 0.95) - 1)], 2),
        "max_ms": round(timings[-1], 2),
    }


def stock_by_place(user: User, street: Street) -> dict:
    """Usable units of every item at every place of the street, from the batches' balances (the
    dashboard's `levels`: usable and expired apart)."""
    today = timezone.localdate()
    places = Place.objects.restrict(user).filter(street=street).values("pk")
    usable = Q(expiry__isnull=True) | Q(expiry__gte=today)
    held = (
        Batch.objects.filter(place__in=places, quantity__gt=0)
        .values("place", "item")
        .annotate(good=Sum("quantity", filter=usable), bad=Sum("quantity", filter=~usable))
    )
    return {(r["place"], r["item"]): r["good"] or 0 for r in held}


def burn(user: User, street: Street, *, not_exists: bool = False) -> dict:
    """Units issued in the last BURN_DAYS days per place and item, net of reversals (the
    dashboard's `issued`, behind days of cover): "not reversed" as `reversed_by__isnull=True`
    (a LEFT JOIN … IS NULL), or with `not_exists` as the dashboard writes it, NOT EXISTS
    (`not_reversed()`)."""
    places = Place.objects.restrict(user).filter(street=street).values("pk")
    issued = StockMove.objects.filter(
        place__in=places, kind=MoveKind.ISSUE, at__gte=timezone.now() - timedelta(days=BURN_DAYS)
    )
    if not_exists:
        issued = issued.filter(not_reversed())
    else:
        issued = issued.filter(reversed_by__isnull=True)
    rows = issued.values("place", "item").annotate(units=Sum("change"))
    return {(r["place"], r["item"]): -r["units"] for r in rows}


def stock_from_ledger(user: User, street: Street) -> dict:
    """The reference: the same units on hand, summed from every ledger row."""
    places = Place.objects.restrict(user).filter(street=street).values("pk")
    rows = StockMove.objects.filter(place__in=places).values("place", "item")
    return {(r["place"], r["item"]): r["units"] for r in rows.annotate(units=Sum("change"))}


def issue_runs(user: User, street: Street, count: int) -> tuple[dict, dict, int]:
    """`count` issues of 3–12 units at random places and items (fixed seed), each timed, and as
    many bare single-row INSERTs of a move; how many issues found too little stock."""
    rng = random.Random(18)
    pairs = list(
        Batch.objects.filter(place__street=street)
        .values("place", "item")
        .annotate(units=Sum("quantity"))
        .filter(units__gte=12)
        .values_list("place", "item")
    )
    places = Place.objects.in_bulk({p for p, _ in pairs})
    items = Item.objects.in_bulk({i for _, i in pairs})
    recipient = stock.Recipient(RecipientKind.OTHER, label="基准领用")
    issues, refused, batches_touched = [], 0, []
    for _ in range(count):
        place, item = rng.choice(pairs)
        started = time.perf_counter()
        try:
            moves = stock.issue(
                by=user,
                place=places[place],
                item=items[item],
                quantity=rng.randint(3, 12),
                recipient=recipient,
            )
        except stock.NotEnoughStock:
            refused += 1
            continue
        issues.append((time.perf_counter() - started) * 1000)
        batches_touched.append(len(moves))
    batch = Batch.objects.filter(place__street=street).first()
    inserts = []
    for _ in range(count):
        started = time.perf_counter()
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO supplies_stockmove (at, kind, place_id, item_id, batch_id, change, "
                "balance, note, write_off_reason, fefo_reason, recipient_kind, recipient_label) "
                "VALUES (now(), 'adjust', %s, %s, %s, 0, %s, '', '', '', '', '')",
                [batch.place_id, batch.item_id, batch.pk, batch.quantity],
            )
        inserts.append((time.perf_counter() - started) * 1000)
    StockMove.objects.filter(kind=MoveKind.ADJUST, change=0, batch=batch).delete()
    issue = summary(issues) | {
        "batches_per_issue_mean": round(statistics.mean(batches_touched), 2),
        "spanning_several_batches": sum(n > 1 for n in batches_touched),
    }
    return issue, summary(inserts), refused


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--moves", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--issues", type=int, default=500)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit(
            "bench/supplies_ledger.py measures PostgreSQL: set DATABASE_URL (see its docstring)"
        )
    build_seconds = build(args.moves)
    street = Street.objects.get(name=STREET)

    def user() -> User:  # loaded afresh each time, as a request loads it
        return User.objects.get(username="bench-supplies")

    held, burnt = stock_by_place(user(), street), burn(user(), street)
    assert burn(user(), street, not_exists=True) == burnt
    ledger = stock_from_ledger(user(), street)
    assert all(ledger.get(key, 0) >= units for key, units in held.items())
    results = {
        "stock_by_place": timed(lambda: stock_by_place(user(), street), args.runs),
        "burn_7_days": timed(lambda: burn(user(), street), args.runs),
        "burn_7_days_not_exists": timed(lambda: burn(user(), street, not_exists=True), args.runs),
        "reference_stock_from_ledger": timed(lambda: stock_from_ledger(user(), street), args.runs),
    }
    issue, insert, refused = issue_runs(user(), street, args.issues)
    results |= {"issue": issue, "reference_bare_insert": insert}
    ratio = lambda a, b, key: round(results[a][key] / results[b][key], 2)  # noqa: E731
    print(
        json.dumps(
            {
                "benchmark": "supplies_ledger",
                "database": connection.vendor,
                "moves": StockMove.objects.filter(place__street=street).count(),
                "batches": Batch.objects.filter(place__street=street).count(),
                "place_item_rows": len(held),
                "burn_rows": len(burnt),
                "issue_moves_last_7_days": StockMove.objects.filter(
                    place__street=street,
                    kind=MoveKind.ISSUE,
                    at__gte=timezone.now() - timedelta(days=BURN_DAYS),
                ).count(),
                "build_seconds": round(build_seconds, 1) if build_seconds is not None else None,
                "issues_refused_for_stock": refused,
                "results": results,
                "stock_by_place_over_ledger_sum": ratio(
                    "stock_by_place", "reference_stock_from_ledger", "median_ms"
                ),
                "burn_over_ledger_sum": ratio(
                    "burn_7_days", "reference_stock_from_ledger", "median_ms"
                ),
                "burn_not_exists_over_ledger_sum": ratio(
                    "burn_7_days_not_exists", "reference_stock_from_ledger", "median_ms"
                ),
                "issue_over_bare_insert_median": ratio(
                    "issue", "reference_bare_insert", "median_ms"
                ),
                "issue_over_bare_insert_p95": ratio("issue", "reference_bare_insert", "p95_ms"),
            },
            ensure_ascii=False,
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
