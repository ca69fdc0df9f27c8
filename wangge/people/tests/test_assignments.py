"""包保 (people.Assignment): one target, one holder, a duty; only an active row held by a staff user
grants that user the person."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from wangge.people.models import Assignment, Duty, Person


def _sees(user, person):
    return Person.objects.restrict(user, "view").filter(pk=person.pk).exists()


def test_an_active_assignment_lets_the_doctor_see_the_person(world):
    assert _sees(world.users["dora"], world.persons["zhao_liu"])


def test_an_ended_assignment_grants_nothing(world):
    Assignment.objects.filter(holder_user=world.users["dora"]).update(ended=timezone.localdate())
    assert not _sees(world.users["dora"], world.persons["zhao_liu"])


def test_an_assignment_not_started_yet_grants_nothing(world):
    later = timezone.localdate() + timedelta(days=1)
    Assignment.objects.filter(holder_user=world.users["dora"]).update(started=later)
    assert not _sees(world.users["dora"], world.persons["zhao_liu"])


def test_a_person_holder_grants_nothing_to_anyone(world):
    holder = world.persons["zhang_san"]
    target = world.persons["wang_wu"]
    Assignment.objects.create(holder_person=holder, person=target, duty=Duty.BUILDING_LEADER)
    assert not _sees(world.users["dora"], target)
    assert not Assignment.objects.held_by(world.users["dora"]).filter(person=target).exists()


@pytest.mark.parametrize(
    "fields",
    [
        {"holder": "dora"},  # no target
        {"holder": "dora", "person": "zhao_liu", "grid": True},  # two targets
        {"person": "zhao_liu"},  # no holder
        {"holder": "dora", "holder_person": "zhang_san", "person": "zhao_liu"},  # two holders
        {"holder": "dora", "person": "zhao_liu", "source": "measure"},  # measure without its id
    ],
)
def test_the_shape_is_checked_by_the_database(world, fields):
    values = {"duty": Duty.DOCTOR}
    if "holder" in fields:
        values["holder_user"] = world.users[fields["holder"]]
    if "holder_person" in fields:
        values["holder_person"] = world.persons[fields["holder_person"]]
    if "person" in fields:
        values["person"] = world.persons[fields["person"]]
    if fields.get("grid"):
        values["grid"] = world.grid_a
    if "source" in fields:
        values["source"] = fields["source"]
    with pytest.raises(IntegrityError), transaction.atomic():
        Assignment.objects.create(**values)
