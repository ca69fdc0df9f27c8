"""Markers (seed 003: 党旗、星星、红心): a household carries the markers of its members' tags, by
the configurable rules in `MarkerRule` (docs/colours.md has the defaults)."""

from collections import defaultdict

from django.db.models import QuerySet

from wangge.people.colour_inputs import LIVING
from wangge.people.models import Person
from wangge.regions.choices import Marker
from wangge.regions.models import Household, MarkerRule

MARKER_ORDER = {marker: position for position, marker in enumerate(Marker.values)}


def public_rules() -> QuerySet[MarkerRule]:
    """Rules whose marker may appear on the notice-board plan: marked public, and never for a
    sensitive tag (低保, 残疾, 重病 … whatever a rule says)."""
    return MarkerRule.objects.filter(public=True, tag__sensitive=False)


def household_markers(households: QuerySet, *, public_only: bool = False) -> dict[int, list[str]]:
    """household id → its markers in legend order, from the tags of the members who live there
    (在住 or 外出); one query for any number of households."""
    rules = public_rules() if public_only else MarkerRule.objects.all()
    through = Person.tags.through
    rows = (
        through.objects.filter(
            person__household__in=households.order_by().values("pk"),
            person__status__in=LIVING,
            tag__marker_rule__in=rules.values("pk"),
        )
        .values_list("person__household_id", "tag__marker_rule__marker")
        .distinct()
    )
    markers: dict[int, set[str]] = defaultdict(set)
    for household_id, marker in rows:
        markers[household_id].add(marker)
    return {pk: sorted(found, key=MARKER_ORDER.__getitem__) for pk, found in markers.items()}


def marker_legend(*, public_only: bool) -> list[tuple[str, str]]:
    """(marker, the tags it stands for) for the markers in use, in legend order."""
    rules = public_rules() if public_only else MarkerRule.objects.all()
    names: dict[str, list[str]] = defaultdict(list)
    for marker, tag in rules.order_by("tag_id").values_list("marker", "tag__name"):
        names[marker].append(tag)
    return [
        (marker, "、".join(names[marker])) for marker in sorted(names, key=MARKER_ORDER.__getitem__)
    ]


def with_markers(households: list[Household]) -> list[Household]:
    """Attach `markers` to each household of a page (one query)."""
    found = household_markers(Household.objects.filter(pk__in=[h.pk for h in households]))
    for household in households:
        household.markers = found.get(household.pk, [])  # type: ignore[attr-defined]  # read by the pages
    return households
