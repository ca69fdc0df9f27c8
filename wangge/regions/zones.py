"""三区: which zone a household, a building or a compound lies in (declaring and lifting zones,
the street command's decision, live in colours/zones.py).

The checkpoint rules rely on `household_zone` and `lockdown_household_ids`. A household lies in a
zone that covers its building or its compound; where several zones cover it, the most severe one
counts (封控 > 管控 > 防范). A zone is in force from its start until lifted (docs/colours.md).
"""

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from wangge.regions.choices import ZONE_RANK, ZoneKind
from wangge.regions.models import Building, Compound, Household, Zone


def lockdown_over(
    building: Any, compound: Any, at: datetime | None = None
) -> tuple[Exists, Exists]:
    """Whether a lockdown zone in force at `at` covers `building` or `compound` (expressions such
    as OuterRef("household__building")): two EXISTS a query of persons or households can carry.
    Either one true means inside."""
    lockdowns = Zone.objects.in_force(at).filter(kind=ZoneKind.LOCKDOWN).values("pk")
    return (
        Exists(Zone.buildings.through.objects.filter(zone__in=lockdowns, building=building)),
        Exists(Zone.compounds.through.objects.filter(zone__in=lockdowns, compound=compound)),
    )


def household_zone(household_id: int, at: datetime | None = None) -> str | None:
    """ "lockdown", "control" or "prevention": the most severe zone in force at `at` (now) that
    covers the household; None outside every zone."""
    household = Household.objects.filter(pk=household_id).select_related("building").first()
    if household is None:
        return None
    kinds = building_zone_kinds(Building.objects.filter(pk=household.building_id), at)
    return kinds.get(household.building_id)


def lockdown_household_ids(household_ids: Iterable[int], at: datetime | None = None) -> set[int]:
    """The households among `household_ids` inside a lockdown zone (封控区) at `at`: one query."""
    ids = sorted({pk for pk in household_ids if pk})
    if not ids:
        return set()
    by_building, by_compound = lockdown_over(
        OuterRef("building"), OuterRef("building__compound"), at
    )
    inside = Household.objects.filter(by_building | by_compound, pk__in=ids)
    return set(inside.values_list("pk", flat=True))


def building_zone_kinds(
    buildings: QuerySet[Building], at: datetime | None = None
) -> dict[int, str]:
    """building id → the most severe zone in force over it (directly or through its compound)."""
    zones = Zone.objects.in_force(at)
    kinds: dict[int, str] = {}

    def keep(building_id: int, kind: str) -> None:
        if ZONE_RANK[kind] > ZONE_RANK.get(kinds.get(building_id, ""), 0):
            kinds[building_id] = kind

    direct = Zone.buildings.through.objects.filter(
        zone__in=zones.values("pk"), building__in=buildings.order_by().values("pk")
    )
    for building_id, kind in direct.values_list("building_id", "zone__kind"):
        keep(building_id, kind)
    by_compound = Zone.compounds.through.objects.filter(
        zone__in=zones.values("pk"), compound__in=buildings.order_by().values("compound")
    ).values_list("compound_id", "zone__kind")
    compound_kinds: dict[int, list[str]] = {}
    for compound_id, kind in by_compound:
        compound_kinds.setdefault(compound_id, []).append(kind)
    if compound_kinds:
        for building_id, compound_id in buildings.filter(
            compound__in=list(compound_kinds)
        ).values_list("pk", "compound_id"):
            for kind in compound_kinds[compound_id]:
                keep(building_id, kind)
    return kinds


def zones_for_compound(compound: Compound, at: datetime | None = None) -> QuerySet[Zone]:
    """Zones in force over the compound or any of its buildings."""
    return (
        Zone.objects.in_force(at)
        .filter(Q(compounds=compound) | Q(buildings__compound=compound))
        .distinct()
    )
