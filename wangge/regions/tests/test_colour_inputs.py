"""The colour rule reads its inputs from the registry the owning apps fill at start-up."""

import pytest
from django.db.models import OuterRef

from wangge.regions import colour_inputs
from wangge.regions.choices import HouseholdColour
from wangge.regions.colour_inputs import colour_due, colour_input_register
from wangge.regions.colour_inputs import colour_inputs as inputs
from wangge.regions.models import HouseholdColourChange


def test_the_owning_apps_register_every_input_most_severe_first():
    assert [(given.name, given.colour) for given in inputs()] == [
        ("measures.red", HouseholdColour.RED),
        ("measures.orange", HouseholdColour.ORANGE),
        ("measures.yellow", HouseholdColour.YELLOW),
        ("people.at_home", HouseholdColour.GREEN),
    ]


def test_measures_register_the_households_whose_measure_starts():
    assert list(colour_inputs._due) == ["measures.started"]


def test_registering_again_replaces_by_name(monkeypatch):
    monkeypatch.setattr(colour_inputs, "_inputs", dict(colour_inputs._inputs))
    before = len(inputs())
    holds = inputs()[0].holds
    colour_input_register(name="measures.red", colour=HouseholdColour.RED, holds=holds)
    assert len(inputs()) == before


def test_a_new_input_takes_its_place_by_severity(monkeypatch):
    monkeypatch.setattr(colour_inputs, "_inputs", dict(colour_inputs._inputs))

    def holds(now):
        return HouseholdColourChange.objects.filter(household=OuterRef("pk"))

    colour_input_register(name="test.orange", colour=HouseholdColour.ORANGE, holds=holds)
    names = [given.name for given in inputs()]
    assert (
        names.index("measures.orange") < names.index("test.orange") < names.index("measures.yellow")
    )


def test_white_is_no_input():
    with pytest.raises(ValueError):
        colour_input_register(
            name="test.white", colour=HouseholdColour.WHITE, holds=inputs()[0].holds
        )


def test_without_due_inputs_the_sweep_refreshes_nothing(monkeypatch, db):
    from wangge.regions.colours import household_colours_refresh_started

    monkeypatch.setattr(colour_inputs, "_due", {})
    assert colour_due(None) == []
    assert household_colours_refresh_started() == 0
