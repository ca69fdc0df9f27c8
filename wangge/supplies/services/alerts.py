"""The stock sweep (supplies/tasks.py): low stock and expiring batches, told to the people of the
place — its keeper, and the staff of its area: the community workers of a community's place, the
street's commanders for a street place.

Low stock is told once per crossing: when a place's usable units of an item fall below its line the
line's `alerted_at` is set; when they are back at or above it, `alerted_at` is cleared, so the next
drop is told again. Batches expiring within WANGGE["EXPIRY_SOON_DAYS"] days (or expired and still
on the shelf) are told as one summary a day to each of those people; the day's summary is known by
the alert already in their inbox. The lines and places are locked, so two sweeps at once tell
once."""

from datetime import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from wangge.accounts.models import RoleAssignment
from wangge.accounts.selectors import community_workers_of, users_by_id
from wangge.core.models import Alert
from wangge.core.roles import Role
from wangge.core.services import audit_record, post_alert
from wangge.supplies.models import Place, StockThreshold
from wangge.supplies.selectors.overview import expiring, levels

LOW_KIND = "supplies_low"
EXPIRY_KIND = "supplies_expiry"


def staff_of(places: list[Place]) -> dict[int, set[int]]:
    """Place id → user ids to tell: its keeper, its community's workers or its street's
    commanders."""
    workers = community_workers_of({p.community_id for p in places if p.community_id})
    commanders: dict[int, set[int]] = {}
    for street_id, user_id in RoleAssignment.objects.filter(
        role=Role.COMMANDER,
        street_id__in={p.street_id for p in places if not p.community_id},
        user__is_active=True,
    ).values_list("street_id", "user_id"):
        commanders.setdefault(street_id, set()).add(user_id)
    result = {}
    for place in places:
        people = set(
            workers.get(place.community_id, [])
            if place.community_id
            else commanders.get(place.street_id, set())
        )
        if place.keeper_id:
            people.add(place.keeper_id)
        result[place.pk] = people
    return result


def _tell(lines_by_user: dict[int, list[str]], kind: str, heading: str) -> None:
    users = users_by_id(lines_by_user)
    link = reverse("supplies:dashboard")
    for user_id, lines in sorted(lines_by_user.items()):
        if user_id in users:
            post_alert([users[user_id]], kind, f"{heading}：{'；'.join(lines)}", link)


def low_stock_alerts(now: datetime) -> int:
    """Tell each line newly crossed (once), clear those back at or above; the lines told."""
    today = timezone.localdate(now)
    places = Place.objects.filter(thresholds__isnull=False).distinct()
    held = levels(places, today)
    lines = list(StockThreshold.objects.all().values_list("pk", "place", "item", "minimum"))
    below = {pk for pk, place, item, low in lines if held.get((place, item), (0, 0))[0] < low}
    StockThreshold.objects.filter(alerted_at__isnull=False).exclude(pk__in=below).update(
        alerted_at=None
    )
    told = list(
        StockThreshold.objects.select_for_update(of=("self",))
        .filter(pk__in=below, alerted_at__isnull=True)
        .select_related("place", "item")
        .order_by("pk")
    )
    told = [line for line in told if line.alerted_at is None]
    if not told:
        return 0
    for line in told:
        line.alerted_at = now
    StockThreshold.objects.bulk_update(told, ["alerted_at"])
    staff = staff_of([line.place for line in told])
    messages: dict[int, list[str]] = {}
    for line in told:
        have = held.get((line.place_id, line.item_id), (0, 0))[0]
        text = f"{line.place.name} {line.item.name} {have}{line.item.unit}（预警线 {line.minimum}）"
        for user_id in staff[line.place_id]:
            messages.setdefault(user_id, []).append(text)
    _tell(messages, LOW_KIND, "库存低于预警线")
    audit_record(
        actor=None,
        action="update",
        target_type=StockThreshold._meta.label_lower,
        target_label=f"低库存预警 {len(told)} 条 / {len(told)} low-stock lines alerted",
        changes={"lines": [line.pk for line in told]},
    )
    return len(told)


def expiry_alerts(now: datetime) -> int:
    """One summary today for each person of a place holding batches that expire soon, unless
    they already have today's; the number of people told."""
    today = timezone.localdate(now)
    batches = list(expiring(Place.objects.all(), today))
    if not batches:
        return 0
    places = list(
        Place.objects.select_for_update()
        .filter(pk__in={b.place_id for b in batches})
        .order_by("pk")
    )
    staff = staff_of(places)
    start = timezone.make_aware(datetime.combine(today, datetime.min.time()))
    done = set(
        Alert.objects.filter(kind=EXPIRY_KIND, created_at__gte=start).values_list(
            "recipient", flat=True
        )
    )
    messages: dict[int, list[str]] = {}
    for batch in batches:
        when = "已于 {:%m-%d} 过期" if batch.expiry < today else "{:%m-%d} 到期"
        text = (
            f"{batch.place.name} {batch.item.name} {batch.lot or '-'} {batch.quantity}"
            f"{batch.item.unit} {when.format(batch.expiry)}"
        )
        for user_id in staff[batch.place_id] - done:
            messages.setdefault(user_id, []).append(text)
    _tell(messages, EXPIRY_KIND, "临期批次")
    return len(messages)


@transaction.atomic
def stock_alerts_send(*, now: datetime | None = None) -> dict[str, int]:
    """The sweep: low-stock lines told and people told of expiring batches."""
    now = now or timezone.now()
    return {"low": low_stock_alerts(now), "expiry": expiry_alerts(now)}
