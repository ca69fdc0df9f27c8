"""Seeing the stock: units by item and place (expired units apart), days of cover at the recent
burn rate, batches expiring soon (and expired ones still on the shelf), places below their low-stock
line, and the daily burn. Every figure is a handful of aggregate queries over the places `user`
may see (`Place.objects.restrict`), never one query per row.

Burn is what was issued: ISSUE moves, less those later reversed (a reversal of an issue puts the
units back, so the reversed issue does not count); transfers between places are not burn. Days of
cover = usable units on hand / (units issued in the last WANGGE["BURN_DAYS"] days / BURN_DAYS);
nothing issued → no figure (∞)."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from wangge.supplies.models import (
    Batch,
    Item,
    MoveKind,
    Need,
    NeedStatus,
    Place,
    StockMove,
    StockThreshold,
    not_reversed,
)

BURN_CHART_DAYS = 30


def burn_days() -> int:
    return int(settings.WANGGE["BURN_DAYS"])


def usable(today: date) -> Q:
    """Batches not expired on `today` (no expiry, or expiring today or later)."""
    return Q(expiry__isnull=True) | Q(expiry__gte=today)


def levels(places: QuerySet, today: date) -> dict[tuple[int, int], tuple[int, int]]:
    """(place id, item id) → (usable units, expired units), for what the places hold."""
    rows = (
        Batch.objects.filter(place__in=places.values("pk"), quantity__gt=0)
        .values("place", "item")
        .annotate(
            good=Sum("quantity", filter=usable(today)),
            bad=Sum("quantity", filter=~usable(today)),
        )
    )
    return {(r["place"], r["item"]): (r["good"] or 0, r["bad"] or 0) for r in rows}


def net_issues(places: QuerySet, since: datetime) -> QuerySet:
    """ISSUE moves at the places since `since` that were not reversed."""
    return StockMove.objects.filter(
        not_reversed(),
        place__in=places.values("pk"),
        kind=MoveKind.ISSUE,
        at__gte=since,
    )


def issued(places: QuerySet, since: datetime) -> dict[tuple[int, int], int]:
    """(place id, item id) → units issued since `since`, net of reversals."""
    rows = net_issues(places, since).values("place", "item").annotate(units=Sum("change"))
    return {(r["place"], r["item"]): -(r["units"] or 0) for r in rows}


def cover_days(on_hand: int, units_issued: int, days: int) -> float | None:
    """Days the stock lasts at the burn rate; None when nothing was issued."""
    if units_issued <= 0:
        return None
    return round(on_hand / (units_issued / days), 1)


@dataclass
class StockRow:
    place: Place
    item: Item
    usable: int
    expired: int
    issued: int
    cover: float | None
    minimum: int | None = None

    @property
    def below(self) -> bool:
        return self.minimum is not None and self.usable < self.minimum


@dataclass
class Overview:
    today: date
    burn_days: int
    rows: list[StockRow] = field(default_factory=list)
    expiring: list[Batch] = field(default_factory=list)
    low: list[StockRow] = field(default_factory=list)
    items: list[dict[str, Any]] = field(default_factory=list)
    burn_chart: dict[str, Any] = field(default_factory=dict)
    needs: list[dict[str, Any]] = field(default_factory=list)


def stock_rows(places: QuerySet, *, now: datetime) -> list[StockRow]:
    """One row per place and item that holds stock, was issued lately or has a low-stock line."""
    today = timezone.localdate(now)
    days = burn_days()
    held = levels(places, today)
    burnt = issued(places, now - timedelta(days=days))
    lines = {
        (t.place_id, t.item_id): t.minimum
        for t in StockThreshold.objects.filter(place__in=places.values("pk"))
    }
    keys = set(held) | set(burnt) | set(lines)
    by_place = Place.objects.in_bulk({place for place, _ in keys})
    by_item = Item.objects.in_bulk({item for _, item in keys})
    rows = []
    for key in keys:
        good, bad = held.get(key, (0, 0))
        rows.append(
            StockRow(
                place=by_place[key[0]],
                item=by_item[key[1]],
                usable=good,
                expired=bad,
                issued=burnt.get(key, 0),
                cover=cover_days(good, burnt.get(key, 0), days),
                minimum=lines.get(key),
            )
        )
    rows.sort(key=lambda r: (r.place.community_id or 0, r.place.kind, r.place.name, r.item.name))
    return rows


def expiring(places: QuerySet, today: date) -> QuerySet:
    """Batches in stock at the places that expire within WANGGE["EXPIRY_SOON_DAYS"] days, or
    already did, soonest first."""
    soon = today + timedelta(days=int(settings.WANGGE["EXPIRY_SOON_DAYS"]))
    return (
        Batch.objects.filter(
            place__in=places.values("pk"), quantity__gt=0, expiry__isnull=False, expiry__lte=soon
        )
        .select_related("item", "place")
        .order_by("expiry", "place__name", "pk")
    )


def daily_burn(places: QuerySet, *, now: datetime, days: int = BURN_CHART_DAYS) -> dict[str, Any]:
    """Units issued per day and item over the last `days` days (today included), for a chart:
    {"days": [...], "series": [{"name": item, "data": [...]}, ...]}."""
    today = timezone.localdate(now)
    first = today - timedelta(days=days - 1)
    since = timezone.make_aware(datetime.combine(first, datetime.min.time()))
    rows = (
        net_issues(places, since)
        .annotate(day=TruncDate("at"))
        .values("day", "item__name")
        .annotate(units=Sum("change"))
    )
    dates = [first + timedelta(days=n) for n in range(days)]
    series: dict[str, list[int]] = {}
    for row in rows:
        data = series.setdefault(row["item__name"], [0] * days)
        index = (row["day"] - first).days
        if 0 <= index < days:
            data[index] -= row["units"]
    return {
        "days": [d.strftime("%m-%d") for d in dates],
        "series": [{"name": name, "data": data} for name, data in sorted(series.items())],
    }


def item_cover(rows: list[StockRow], days: int) -> list[dict[str, Any]]:
    """Per item, over the places seen: usable units, units issued lately, days of cover."""
    totals: dict[str, list[int]] = {}
    for row in rows:
        total = totals.setdefault(row.item.name, [0, 0, 0])
        total[0] += row.usable
        total[1] += row.expired
        total[2] += row.issued
    return [
        {
            "name": name,
            "usable": good,
            "expired": bad,
            "issued": burnt,
            "cover": cover_days(good, burnt, days),
        }
        for name, (good, bad, burnt) in sorted(totals.items())
    ]


def needs_by_status(user: Any) -> list[dict[str, Any]]:
    """How many needs `user` may see are in each status (a grid worker: those of their grids)."""
    counts = dict(
        Need.objects.restrict(user).values_list("status").annotate(n=Count("pk")).order_by()
    )
    return [{"status": label, "count": counts.get(value, 0)} for value, label in NeedStatus.choices]


def overview(user: Any, *, now: datetime | None = None) -> Overview:
    """Everything the dashboard shows, for the places `user` may see."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    places = Place.objects.restrict(user)
    rows = stock_rows(places, now=now)
    days = burn_days()
    return Overview(
        today=today,
        burn_days=days,
        rows=rows,
        expiring=list(expiring(places, today)),
        low=[row for row in rows if row.below],
        items=item_cover(rows, days),
        burn_chart=daily_burn(places, now=now),
        needs=needs_by_status(user),
    )
