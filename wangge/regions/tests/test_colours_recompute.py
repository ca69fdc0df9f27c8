"""`manage.py recompute_colours`: finds and corrects wrong stored colours, records each correction
with the reason "recompute", prints {"households": n, "corrected": n} as its last line."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from wangge.core.jobs.models import Job
from wangge.core.models import AuditEntry
from wangge.regions.models import Household, HouseholdColourChange, Street
from wangge.regions.tests.colour_fixtures import coloured

__all__ = ["coloured"]


def run(*args: str) -> list[str]:
    out = StringIO()
    call_command("recompute_colours", *args, stdout=out)
    return out.getvalue().strip().splitlines()


def test_nothing_to_correct_when_colours_are_current(coloured):
    assert json.loads(run()[-1]) == {"households": 4, "corrected": 0}


def test_wrong_colours_are_corrected_and_recorded(coloured):
    # given two stored colours gone wrong behind the services' back
    wrong = [coloured.households["a"].pk, coloured.households["d"].pk]
    Household.objects.filter(pk__in=wrong).update(colour="red")

    # when
    lines = run()

    # then
    assert json.loads(lines[-1]) == {"households": 4, "corrected": 2}
    assert len(lines) == 3 and "red → green" in lines[0]
    fixed = HouseholdColourChange.objects.filter(reason="recompute")
    assert sorted(fixed.values_list("household_id", "old", "new")) == sorted(
        (pk, "red", "green") for pk in wrong
    )
    assert set(Household.objects.values_list("colour", flat=True)) == {"green"}
    assert AuditEntry.objects.filter(reason="recompute").count() == 1
    assert json.loads(run()[-1])["corrected"] == 0


def test_one_street_only(coloured):
    other = Street.objects.create(name="北门街道")
    Household.objects.filter(pk=coloured.households["a"].pk).update(colour="white")

    assert json.loads(run("--street", "北门街道")[-1]) == {"households": 0, "corrected": 0}
    assert json.loads(run("--street", "江南街道")[-1]) == {"households": 4, "corrected": 1}
    assert other.pk


def test_an_unknown_street_is_an_error(coloured):
    with pytest.raises(CommandError):
        run("--street", "没有这个街道")


def test_each_recompute_is_recorded_as_a_job_with_its_counts(coloured):
    Household.objects.filter(pk=coloured.households["a"].pk).update(colour="red")

    run()
    run("--street", coloured.households["a"].grid.community.street.name)

    first, second = Job.objects.filter(kind="colours.recompute").order_by("pk")
    assert (first.status, first.done, first.total) == (Job.Status.DONE, 4, 4)
    assert first.counts["corrected"] == 1 and first.params == {"street": None}
    assert second.counts["corrected"] == 0 and second.params["street"] is not None
