"""What people gives a household's colour (registered with `regions.colour_inputs` at start-up):
green while at least one member is at home (在住)."""

from datetime import datetime

from django.db.models import OuterRef, QuerySet

from wangge.people.models import Person
from wangge.regions.choices import HouseholdColour
from wangge.regions.colour_inputs import colour_input_register

# The members who live in a household, at home or away: their measures colour it (a close contact
# taken to a quarantine hotel still makes the home red) and their tags mark it.
LIVING = (Person.Status.PRESENT, Person.Status.AWAY)


def at_home(now: datetime) -> QuerySet:
    """The members of the household `OuterRef("pk")` who are at home."""
    return Person.objects.filter(household=OuterRef("pk"), status=Person.Status.PRESENT)


def register() -> None:
    colour_input_register(name="people.at_home", colour=HouseholdColour.GREEN, holds=at_home)
