"""Vaccination coverage by age band (3–11, 12–17, 18–59, 60–79, 80+) and grid, and the outreach list
of persons 60+ without a complete course. Ages are whole years at a reference date, exact at
birthdays (testing.selectors.ages); the database compares birth dates with precomputed bounds.

The population is the present persons of known birth date whom the user may see; a dose counts
when it was given on or before the reference date.
"""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.db.models import Case, CharField, Count, OuterRef, Q, QuerySet, Subquery, Value, When

from wangge.accounts.models import User
from wangge.people.models import Person
from wangge.regions.models import DWELLING_ORDER, Grid
from wangge.testing.models import OutreachNote, TransportPassenger, VaccinationDose
from wangge.testing.selectors.ages import born_by

BANDS: tuple[tuple[str, int, int | None], ...] = (
    ("3–11", 3, 11),
    ("12–17", 12, 17),
    ("18–59", 18, 59),
    ("60–79", 60, 79),
    ("80+", 80, None),
)


@dataclass(frozen=True)
class BandRow:
    band: str
    grid_id: int | None
    population: int
    first_dose: int
    complete: int

    def percent(self, count: int) -> float:
        return round(100 * count / self.population, 1) if self.population else 0.0

    @property
    def first_dose_percent(self) -> float:
        return self.percent(self.first_dose)

    @property
    def complete_percent(self) -> float:
        return self.percent(self.complete)

    def as_dict(self) -> dict[str, Any]:
        return {
            "band": self.band,
            "grid": self.grid_id,
            "population": self.population,
            "first_dose": self.first_dose,
            "complete": self.complete,
            "first_dose_percent": self.first_dose_percent,
            "complete_percent": self.complete_percent,
        }


def band_of(on: date) -> Case:
    """The age band of a person on `on`, as SQL: the oldest band whose lower age they reached."""
    whens = [
        When(birth_date__lte=born_by(on, low), then=Value(label))
        for label, low, _ in reversed(BANDS)
    ]
    return Case(*whens, default=Value(""), output_field=CharField())


def _population(user: User, on: date) -> QuerySet[Person]:
    return Person.objects.restrict(user, "view").filter(
        status=Person.Status.PRESENT, birth_date__lte=born_by(on, BANDS[0][1])
    )


def _dosed(on: date, complete: bool) -> QuerySet[VaccinationDose, dict[str, Any]]:
    doses = VaccinationDose.objects.filter(vaccinated_on__lte=on)
    if complete:
        doses = doses.filter(completes_course=True)
    return doses.values("person_id")


def coverage_by_band(user: User, on: date, by_grid: bool = False) -> list[BandRow]:
    """One row per band (and grid when `by_grid`), bands in age order."""
    keys = ["band", "household__grid_id"] if by_grid else ["band"]
    people = _population(user, on).annotate(band=band_of(on)).order_by()

    def counted(queryset: QuerySet[Person]) -> dict[tuple[Any, ...], int]:
        rows = queryset.values(*keys).annotate(n=Count("pk")).values_list(*keys, "n")
        return {tuple(row[:-1]): row[-1] for row in rows}

    population = counted(people)
    first = counted(people.filter(pk__in=_dosed(on, complete=False)))
    complete = counted(people.filter(pk__in=_dosed(on, complete=True)))
    order = {label: index for index, (label, _, _) in enumerate(BANDS)}
    rows = [
        BandRow(
            key[0],
            key[1] if by_grid else None,
            count,
            first.get(key, 0),
            complete.get(key, 0),
        )
        for key, count in population.items()
    ]
    return sorted(rows, key=lambda row: (row.grid_id or 0, order[row.band]))


def grid_names(rows: list[BandRow]) -> dict[int | None, str]:
    grids = Grid.objects.filter(pk__in={r.grid_id for r in rows}).select_related("community")
    return {grid.pk: str(grid) for grid in grids}


def outreach_list(user: User, on: date) -> QuerySet[Person]:
    """Persons 60+ (settings.WANGGE["VACCINATION_OUTREACH_AGE"]) without a complete course, with
    their dose count, latest outreach note and booked trip."""
    age = settings.WANGGE["VACCINATION_OUTREACH_AGE"]
    notes = OutreachNote.objects.filter(person=OuterRef("pk")).order_by("-at", "-pk")
    trips = TransportPassenger.objects.filter(
        person=OuterRef("pk"), slot__departs_at__date__gte=on
    ).order_by("slot__departs_at")
    return (
        Person.objects.restrict(user, "view")
        .filter(status=Person.Status.PRESENT, birth_date__lte=born_by(on, age))
        .exclude(pk__in=_dosed(on, complete=True))
        .annotate(
            doses=Count("vaccination_doses", filter=Q(vaccination_doses__vaccinated_on__lte=on)),
            last_outcome=Subquery(notes.values("outcome")[:1]),
            last_note=Subquery(notes.values("note")[:1]),
            trip_at=Subquery(trips.values("slot__departs_at")[:1]),
            trip_to=Subquery(trips.values("slot__destination")[:1]),
        )
        .select_related("household__building__compound", "household__grid")
        .order_by("household__grid__name", *DWELLING_ORDER, "pk")
    )
