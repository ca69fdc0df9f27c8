"""Figures about persons and households: measures, check-ins, household colours, zones, test
rounds and vaccination. A person counts in the grid of their household as of the run."""

from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from wangge.measures.models import CheckIn, CheckInSlot, PersonMeasure
from wangge.people.models import Person
from wangge.regions.models import Household, HouseholdColourChange, Street, Zone
from wangge.reports.figures import Day
from wangge.reports.tree import Own
from wangge.testing.models import LabResult, NucleicRound, Outcome, VaccinationDose
from wangge.testing.selectors import round_target, tested
from wangge.testing.selectors.ages import born_by
from wangge.testing.selectors.vaccination import BANDS, band_of

PERSON_GRID = ("person__household__grid_id", "person__household__grid__community_id")
SLOT_GRID = (
    "measure__person__household__grid_id",
    "measure__person__household__grid__community_id",
)


def counted(own: Own, rows: QuerySet, area: tuple[str, str], name: str, *by: str) -> None:
    """Add `rows` counted per area (and per the values of `by`, joined to `name` with dots)."""
    for row in rows.order_by().values_list(*area, *by).annotate(n=Count("pk")):
        grid_id, community_id, *values, n = row
        own.add(grid_id, community_id, ".".join([name, *map(str, values)]), n)


def measures(own: Own, street: Street, day: Day) -> None:
    ours = PersonMeasure.objects.filter(person__household__grid__community__street=street)
    active = ours.filter(
        Q(status=PersonMeasure.Status.ACTIVE) | Q(ended_on__gt=day.on), start__lte=day.on
    )
    persons = active.order_by().values_list(*PERSON_GRID).annotate(n=Count("person", distinct=True))
    for grid_id, community_id, n in persons:
        own.add(grid_id, community_id, "measures.active", n)
    counted(own, active, PERSON_GRID, "measures.active", "measure_type__category")
    counted(own, ours.filter(start=day.on), PERSON_GRID, "measures.new")
    counted(own, ours.filter(ended_on=day.on), PERSON_GRID, "measures.released")


def checkins(own: Own, street: Street, day: Day) -> None:
    slots = CheckInSlot.objects.filter(
        measure__person__household__grid__community__street=street, **day.within("due_at")
    )
    for status, name in (
        (CheckInSlot.Status.DONE, "checkins.done"),
        (CheckInSlot.Status.MISSED, "checkins.missed"),
    ):
        counted(own, slots.filter(status=status), SLOT_GRID, name)
    fevers = CheckIn.objects.filter(
        measure__person__household__grid__community__street=street,
        flagged=True,
        **day.within("at"),
    )
    counted(own, fevers, SLOT_GRID, "checkins.fevers")


def colours(own: Own, street: Street, day: Day) -> None:
    """Households of each colour at `day.at`: today's colours with the later changes undone; and
    the day's net change per colour (a change adds one to its new colour, takes one from its old)."""
    households = Household.objects.filter(grid__community__street=street)
    area = ("grid_id", "grid__community_id")
    counted(own, households, area, "colours", "colour")
    changes = HouseholdColourChange.objects.filter(household__grid__community__street=street)
    change_area = ("household__grid_id", "household__grid__community_id")
    for prefix, rows, sign in (
        ("colours", changes.filter(at__gte=day.at), -1),
        ("colours.change", changes.filter(**day.within("at")), 1),
    ):
        grouped = rows.order_by().values_list(*change_area, "old", "new").annotate(n=Count("pk"))
        for grid_id, community_id, old, new, n in grouped:
            own.add(grid_id, community_id, f"{prefix}.{new}", sign * n)
            own.add(grid_id, community_id, f"{prefix}.{old}", -sign * n)


def zones(own: Own, street: Street, day: Day) -> None:
    """Zones in force at `day.at`, by kind; a zone counts in every area it covers, once."""
    in_force = Zone.objects.filter(street=street).in_force(day.at)
    for zone_id, kind in in_force.values_list("pk", "kind"):
        own.add(None, None, f"zones.{kind}", {zone_id})
    for path in ("buildings__", "compounds__buildings__"):
        rows = in_force.filter(**{f"{path}grid__isnull": False}).values_list(
            "pk", "kind", f"{path}grid_id", f"{path}grid__community_id"
        )
        for zone_id, kind, grid_id, community_id in rows.distinct():
            own.add(grid_id, community_id, f"zones.{kind}", {zone_id})


def running_rounds(street: Street, day: Day) -> QuerySet[NucleicRound]:
    return NucleicRound.objects.filter(
        street=street, starts_at__lt=day.end, ends_at__gte=day.start
    ).order_by("pk")


def added(own: Own, grid_id: Any, community_id: Any, values: dict[str, int]) -> None:
    """Add the counts of one area, leaving out the zeros (a key missing from a row is 0)."""
    for name, n in values.items():
        if n:
            own.add(grid_id, community_id, name, n)


def tests(own: Own, street: Street, day: Day) -> None:
    """Each round running on the day: its target (the roster), tested, untested and positives —
    one pass over the roster per round, the other three counted as filters of it."""
    area = ("household__grid_id", "household__grid__community_id")
    for test_round in running_rounds(street, day):
        target = round_target(test_round).filter(household__grid__community__street=street)
        positive = LabResult.objects.filter(
            round=test_round, result=Outcome.POSITIVE, person=OuterRef("pk")
        )
        rows = (
            target.order_by()
            .values_list(*area)
            .annotate(
                n=Count("pk"),
                done=Count("pk", filter=Q(tested(test_round))),
                sick=Count("pk", filter=Q(Exists(positive))),
            )
        )
        for grid_id, community_id, n, done, sick in rows:
            counts = {"target": n, "tested": done, "untested": n - done, "positive": sick}
            added(own, grid_id, community_id, {f"tests.{k}": v for k, v in counts.items()})


def vaccination(own: Own, street: Street, day: Day) -> None:
    """Present persons of known birth date by age band on the day; of them, with a dose and with a
    course-completing dose given by the day — one pass over the persons, the doses as filters."""
    area = ("household__grid_id", "household__grid__community_id")
    people: Any = (
        Person.objects.filter(
            household__grid__community__street=street,
            status=Person.Status.PRESENT,
            birth_date__lte=born_by(day.on, BANDS[0][1]),
        )
        .annotate(band=band_of(day.on))
        .order_by()
    )
    doses = VaccinationDose.objects.filter(vaccinated_on__lte=day.on, person=OuterRef("pk"))
    complete = doses.filter(completes_course=True)
    rows = people.values_list(*area, "band").annotate(
        n=Count("pk"),
        first=Count("pk", filter=Q(Exists(doses))),
        full=Count("pk", filter=Q(Exists(complete))),
    )
    for grid_id, community_id, band, n, first, full in rows:
        counts = {"": n, ".first": first, ".complete": full}
        added(own, grid_id, community_id, {f"vaccination{k}.{band}": v for k, v in counts.items()})


FIGURES = (measures, checkins, colours, zones, tests, vaccination)
