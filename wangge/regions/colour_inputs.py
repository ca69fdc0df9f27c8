"""The inputs of a household's colour, registered at start-up by the apps that own them.

`regions` keeps the rule's mechanism (the stored colour, overrides, history, the refresh) and
reads no app above it: measures registers "a living member is under an active measure of this
colour", people "a member is at home" (their `AppConfig.ready`). The rule gives a household the
colour of the most severe input that holds for it; an override in force comes first, white when
none holds (docs/colours.md).

An input is a function `(now) -> QuerySet` of rows that exist for the household
`OuterRef("pk")` exactly when the input holds at `now`; the rule puts each in an EXISTS, so the
database evaluates it for any set of households at once.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.db.models import QuerySet

from wangge.regions.choices import HouseholdColour

Holds = Callable[[datetime], QuerySet]
Due = Callable[[datetime], QuerySet]


@dataclass(frozen=True)
class ColourInput:
    name: str
    colour: HouseholdColour
    holds: Holds


_inputs: dict[str, ColourInput] = {}
_due: dict[str, Due] = {}


def colour_input_register(*, name: str, colour: HouseholdColour, holds: Holds) -> None:
    """Register (or replace, by `name`) an input that gives a household `colour` while `holds`
    finds a row for it. White is the rule's default and cannot be an input."""
    if colour == HouseholdColour.WHITE:
        raise ValueError("white is what a household is when no input holds")
    _inputs[name] = ColourInput(name=name, colour=HouseholdColour(colour), holds=holds)


def colour_due_register(*, name: str, households: Due) -> None:
    """Register (or replace, by `name`) the households whose input starts to hold by a date
    without any write (a measure assigned ahead of its start): `households(now)` gives their
    ids (a `values()` queryset). The periodic sweep refreshes them."""
    _due[name] = households


def colour_inputs() -> list[ColourInput]:
    """The registered inputs, most severe colour first (registration order within a colour)."""
    severity = HouseholdColour.values
    return sorted(_inputs.values(), key=lambda given: severity.index(given.colour))


def colour_due(now: datetime) -> list[QuerySet]:
    """The registered queries of households whose input may have started to hold by `now`."""
    return [households(now) for households in _due.values()]
