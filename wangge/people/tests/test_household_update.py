"""household_update: who may change a household, its kind, its landlord, and when it is audited."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from wangge.core.models import AuditEntry
from wangge.people.services import household_update


def test_service_refuses_an_editor_without_edit(world):
    with pytest.raises(PermissionDenied):
        household_update(by=world.users["tracy"], household=world.households["a"], kind="vacant")


def test_service_refuses_an_unknown_kind(world):
    with pytest.raises(ValidationError):
        household_update(by=world.users["gavin"], household=world.households["a"], kind="castle")


def test_service_refuses_a_member_as_landlord(world):
    with pytest.raises(ValidationError, match="member of this household"):
        household_update(
            by=world.users["gavin"],
            household=world.households["a"],
            kind="rental",
            landlord=world.persons["zhang_san"],
        )


def test_unchanged_save_writes_no_audit_entry(world):
    household_update(by=world.users["gavin"], household=world.households["a"], kind="owner")

    assert not AuditEntry.objects.filter(target_type="regions.household").exists()


def test_landlord_already_on_record_may_live_outside_the_editors_area(world):
    # given a rental whose landlord (in 西社区) was recorded by the commander
    household, outsider = world.households["a"], world.persons["zhao_liu"]
    household_update(by=world.users["alice"], household=household, kind="rental", landlord=outsider)

    # when the grid worker changes only the note
    household_update(
        by=world.users["gavin"],
        household=household,
        kind="rental",
        landlord=outsider,
        note="已核实",
    )

    # then the note changes and the landlord stays
    household.refresh_from_db()
    assert (household.note, household.landlord) == ("已核实", outsider)
