"""What measures give a household's colour (registered with `regions.colour_inputs` at
start-up): the most severe colour that the active measures of the members who live there imply
(each measure type's `household_colour`: red, orange or yellow); and, for the periodic sweep, the
households with a member under a measure whose start day has come."""

from collections.abc import Callable
from datetime import datetime

from django.db.models import OuterRef, QuerySet
from django.utils import timezone

from wangge.measures.models import PersonMeasure
from wangge.people.colour_inputs import LIVING
from wangge.regions.choices import MEASURE_COLOUR_RANK, HouseholdColour
from wangge.regions.colour_inputs import colour_due_register, colour_input_register


def under_measure(colour: HouseholdColour) -> Callable[[datetime], QuerySet]:
    """The input "a living member of the household `OuterRef("pk")` is under an active measure
    whose type implies `colour`"."""

    def holds(now: datetime) -> QuerySet:
        return (
            PersonMeasure.objects.active(timezone.localdate(now))
            .filter(person__household=OuterRef("pk"), person__status__in=LIVING)
            .filter(measure_type__household_colour=colour)
        )

    return holds


def started(now: datetime) -> QuerySet:
    """Households with a member under an active measure that has started by `now`."""
    return PersonMeasure.objects.filter(
        status=PersonMeasure.Status.ACTIVE, start__lte=timezone.localdate(now)
    ).values("person__household")


def register() -> None:
    for colour in MEASURE_COLOUR_RANK:
        colour_input_register(
            name=f"measures.{colour}",
            colour=HouseholdColour(colour),
            holds=under_measure(HouseholdColour(colour)),
        )
    colour_due_register(name="measures.started", households=started)
