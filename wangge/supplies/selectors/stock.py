"""Reads of the stock pages: the places a user sees, a place's stock by item with its batches, the
place's ledger for a period, and whom an issue from a place may go to (within the user's scope)."""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from wangge.accounts.authority import holds
from wangge.accounts.models import User
from wangge.checkpoints.models import Checkpoint
from wangge.core.roles import Action
from wangge.regions.models import Household
from wangge.supplies.models import Batch, Item, Place, StockMove, StockThreshold
from wangge.supplies.picking import fefo_key, is_expired
from wangge.teams.models import Team

EXPIRING_DAYS = 30
HOUSEHOLD_MATCHES = 20


def places_for(user: User, action: str = Action.VIEW) -> QuerySet[Place]:
    return Place.objects.restrict(user, action).select_related("street", "community")


def items_for(user: User) -> QuerySet[Item]:
    return Item.objects.restrict(user, Action.VIEW).select_related("street")


def may_move(user: User, place: Place) -> bool:
    """Whether `user` may receive, issue, transfer, write off and reverse at the place."""
    return holds(user, Action.EDIT, place.community or place.street)


@dataclass
class BatchLine:
    batch: Batch
    expired: bool
    expiring: bool


@dataclass
class ItemStock:
    item: Item
    total: int = 0
    minimum: int | None = None
    batches: list[BatchLine] = field(default_factory=list)

    @property
    def low(self) -> bool:
        return self.minimum is not None and self.total < self.minimum


def place_stock(place: Place, today: date | None = None) -> list[ItemStock]:
    """The place's stock by item (items with stock or a low-stock line), batches in picking order,
    expired batches and those expiring within EXPIRING_DAYS marked."""
    today = today or timezone.localdate()
    soon = today + timedelta(days=EXPIRING_DAYS)
    lines: dict[int, ItemStock] = {}
    batches = Batch.objects.filter(place=place, quantity__gt=0).select_related("item", "donation")
    for batch in sorted(batches, key=lambda b: (b.item.name, fefo_key(b))):
        line = lines.setdefault(batch.item_id, ItemStock(batch.item))
        line.total += batch.quantity
        expired = is_expired(batch, today)
        expiring = not expired and batch.expiry is not None and batch.expiry <= soon
        line.batches.append(BatchLine(batch, expired, expiring))
    for threshold in StockThreshold.objects.filter(place=place).select_related("item"):
        line = lines.setdefault(threshold.item_id, ItemStock(threshold.item))
        line.minimum = threshold.minimum
    return sorted(lines.values(), key=lambda line: (line.item.category, line.item.name))


def batches_of(place: Place, item: Item) -> list[Batch]:
    """The place's batches of the item that hold stock, in picking order."""
    return sorted(Batch.objects.filter(place=place, item=item, quantity__gt=0), key=fefo_key)


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def ledger(
    place: Place, *, start: date | None = None, end: date | None = None, kind: str = ""
) -> QuerySet[StockMove]:
    """The place's ledger rows from `start` to `end` (whole local days), newest first."""
    rows = StockMove.objects.filter(place=place)
    if start is not None:
        rows = rows.filter(at__gte=_day_start(start))
    if end is not None:
        rows = rows.filter(at__lt=_day_start(end + timedelta(days=1)))
    if kind:
        rows = rows.filter(kind=kind)
    return rows.select_related("item", "batch", "by").order_by("-at", "-pk")


def reversed_ids(moves: list[StockMove]) -> set[int]:
    """Which of `moves` were reversed already (either half of a transfer counts for both)."""
    ids = {m.pk for m in moves} | {m.counterpart_id for m in moves if m.counterpart_id}
    done = set(StockMove.objects.filter(reverses__in=ids).values_list("reverses", flat=True))
    return {m.pk for m in moves if m.pk in done or m.counterpart_id in done}


def _area(place: Place) -> Q:
    if place.community_id:
        return Q(community=place.community_id)
    return Q(community__street=place.street_id)


def recipient_checkpoints(user: User, place: Place) -> QuerySet[Checkpoint]:
    return Checkpoint.objects.restrict(user, Action.VIEW).filter(_area(place)).order_by("name")


def recipient_teams(user: User, place: Place) -> QuerySet[Team]:
    teams = Team.objects.restrict(user, Action.VIEW).filter(street=place.street_id)
    if place.community_id:
        teams = teams.filter(community=place.community_id)
    return teams.order_by("name")


def recipient_households(user: User, place: Place) -> QuerySet[Household]:
    """Households of the place's area that the user may see."""
    rows = Household.objects.restrict(user, Action.VIEW)
    if place.community_id:
        return rows.filter(grid__community=place.community_id)
    return rows.filter(grid__community__street=place.street_id)


def address_search(rows: QuerySet[Household], search: str) -> QuerySet[Household]:
    """The households whose address holds every word of `search` (compound, building, unit or
    room); none without a search."""
    words = search.split()[:5]
    if not words:
        return rows.none()
    for word in words:
        rows = rows.filter(
            Q(building__compound__name__icontains=word)
            | Q(building__name__icontains=word)
            | Q(unit=word)
            | Q(room=word)
        )
    return rows.select_related("building__compound")[:HOUSEHOLD_MATCHES]
