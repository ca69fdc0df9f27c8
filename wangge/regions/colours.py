"""五色: the household colour rule, kept current incrementally, and the full recompute.

The rule (docs/colours.md), evaluated in the database for any set of households at once:
1. a manual override in force (not ended, not expired) decides;
2. else the most severe colour of the inputs that hold for the household, as the apps that own
   them registered them (`colour_inputs`): measures, the colour each measure type implies for the
   members who live there (在住 or 外出) — red > orange > yellow; people, green when at least one
   member is at home (在住);
3. else white (空户): nobody registered, or every member away, moved out or deceased.

Every service that changes an input calls `household_colours_refresh` for exactly the households
it touched, in its own transaction; `household_colours_recompute` checks all of them at once.
"""

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import reduce
from operator import or_
from typing import Any

from django.db import connection, transaction
from django.db.models import Case, Exists, F, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from wangge.core.services import audit_record
from wangge.regions.choices import ColourReason, HouseholdColour
from wangge.regions.colour_inputs import colour_due, colour_inputs
from wangge.regions.models import (
    Household,
    HouseholdColourChange,
    HouseholdColourOverride,
    Street,
)

# Ids per statement: within the variable limit Django assumes for SQLite (999), and few
# statements on PostgreSQL.
CHUNK = 2000


def chunks(items: Sequence[Any]) -> Iterator[Sequence[Any]]:
    size = min(CHUNK, (connection.features.max_query_params or CHUNK) - 9)
    for start in range(0, len(items), size):
        yield items[start : start + size]


def derived_colour(now: datetime | None = None) -> Coalesce:
    """The colour the rule gives a household (an expression over `Household`), at `now`.

    Each step is an EXISTS over its own table (one registered input), most severe first, so
    PostgreSQL can build each once as a hashed subplan and probe it per household, and SQLite
    probes its indexes.
    """
    now = now or timezone.now()
    override = (
        HouseholdColourOverride.objects.in_force(now)
        .filter(household=OuterRef("pk"))
        .values("colour")[:1]
    )
    steps = [
        When(Exists(given.holds(now)), then=Value(given.colour.value)) for given in colour_inputs()
    ]
    return Coalesce(
        Subquery(override),
        Case(*steps, default=Value(HouseholdColour.WHITE.value)),
    )


def no_jit() -> None:
    """PostgreSQL: no JIT compilation for the rest of this transaction. The rule's correlated
    subqueries give the planner a cost estimate far above `jit_above_cost`, so it spends seconds
    compiling a query that runs in a few hundred milliseconds with hashed subplans (measured:
    3.3 s of JIT for 0.2 s of work over 32,000 households)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL jit = off")


def colour_mismatches(households: QuerySet, now: datetime | None = None) -> QuerySet:
    """(pk, stored colour, derived colour) of the households whose stored colour is wrong: one
    SELECT, evaluated by the database."""
    return (
        households.order_by()
        .annotate(derived=derived_colour(now))
        .exclude(colour=F("derived"))
        .values_list("pk", "colour", "derived")
    )


Change = tuple[int, str, str]


def _store(rows: list[Change], reason: str, by: Any, now: datetime) -> None:
    """Write the history rows and the new colours: one bulk insert, one UPDATE per colour (and
    per chunk of ids)."""
    actor = by if getattr(by, "pk", None) else None
    HouseholdColourChange.objects.bulk_create(
        [
            HouseholdColourChange(
                household_id=pk, at=now, old=old, new=new, reason=reason, by=actor
            )
            for pk, old, new in rows
        ],
        batch_size=1000,
    )
    by_colour: dict[str, list[int]] = defaultdict(list)
    for pk, _old, new in rows:
        by_colour[new].append(pk)
    for colour, pks in by_colour.items():
        for part in chunks(pks):
            Household.objects.filter(pk__in=part).update(colour=colour)


def _apply(households: QuerySet, reason: str, by: Any, now: datetime) -> list[Change]:
    """Lock the households (PostgreSQL: two refreshes of one household queue up, and each records
    what it actually changed), find the wrong colours in one SELECT, store the right ones."""
    list(households.select_for_update().order_by("pk").values_list("pk", flat=True))
    rows = list(colour_mismatches(households, now))
    _store(rows, reason, by, now)
    return rows


def _refresh_ids(ids: Iterable[int | None], reason: str, by: Any) -> list[Change]:
    now = timezone.now()
    no_jit()
    changed: list[Change] = []
    for part in chunks(sorted({pk for pk in ids if pk})):
        changed += _apply(Household.objects.filter(pk__in=part), reason, by, now)
    return changed


def _refresh_where(households: QuerySet, reason: str, by: Any) -> list[Change]:
    """One unlocked SELECT over the whole set first: usually nothing is wrong, and then nothing
    is locked; the wrong ones are then locked, checked again and corrected."""
    no_jit()
    wrong = [pk for pk, _stored, _derived in colour_mismatches(households)]
    if len(wrong) > CHUNK:  # many (a first load, a changed measure type): lock the whole set
        return _apply(households, reason, by, timezone.now())
    return _refresh_ids(wrong, reason, by)


@transaction.atomic
def household_colours_refresh(
    *, household_ids: Iterable[int | None] | QuerySet, reason: str, by: Any = None
) -> int:
    """Recompute the colour of exactly these households (ids, or a queryset of ids), set-based;
    record a history row for each one that changed. Returns how many changed. Called in the
    transaction of every service that changes the rule's inputs (measures, members, overrides,
    imports)."""
    if isinstance(household_ids, QuerySet):
        changed = _refresh_where(Household.objects.filter(pk__in=household_ids), reason, by)
    else:
        changed = _refresh_ids(household_ids, reason, by)
    return len(changed)


@dataclass(frozen=True)
class Recompute:
    households: int
    corrected: list[Change]


@transaction.atomic
def household_colours_recompute(
    *, street: Street | None = None, reason: str = ColourReason.RECOMPUTE, by: Any = None
) -> Recompute:
    """Check every household (of `street`) against the rule in one query and correct the stored
    colours that are wrong, each with a history row (reason "recompute" by default). Locks the
    street's households while it runs."""
    households = Household.objects.all()
    if street is not None:
        households = households.filter(grid__community__street=street)
    total = households.count()
    # Filtered as it is: PostgreSQL plans `pk IN (subquery)` several times slower here.
    corrected = _refresh_where(households, reason, by)
    if corrected:
        audit_record(
            actor=by,
            action="update",
            target_type=Household._meta.label_lower,
            target_label=f"户色校正{len(corrected)}户 / {len(corrected)} colours corrected",
            changes={"corrected": [list(change) for change in corrected[:500]]},
            reason=reason,
        )
    return Recompute(households=total, corrected=corrected)


@transaction.atomic
def household_colours_refresh_started(*, now: datetime | None = None) -> int:
    """Apply the inputs whose start day has come (a measure may be assigned ahead of its start):
    the households the registered `colour_due` queries name are refreshed (one SELECT finds the
    wrong ones). Idempotent, and however long since the last run; the periodic sweep runs it."""
    due = colour_due(now or timezone.now())
    if not due:
        return 0
    households = Household.objects.filter(reduce(or_, (Q(pk__in=ids) for ids in due)))
    return len(_refresh_where(households, ColourReason.MEASURE_STARTED, None))
