"""A person's standing at any checkpoint: the facts a scan gathers and the one rules function's
decision on them. The scan (services/scans.py) judges through `judge`; the resident's own code
page shows `person_standing`, so the phone never tells a rule of its own.

The standing leaves out what only a gate knows: the temperature taken there and the household's
pass quota at a checkpoint that asks for passes."""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from wangge.checkpoints.config import fever_threshold, scan_rules
from wangge.checkpoints.rules import Decision, Direction, Facts, PassCheck, Subject, decide
from wangge.checkpoints.services import facts
from wangge.checkpoints.services.facts import Found


def judge(
    found: Found,
    *,
    direction: str,
    at: datetime,
    temperature: Decimal | None = None,
    code_colour: str = "",
    host_household_id: int | None = None,
    pass_check: PassCheck | None = None,
) -> Decision:
    """The rules function on what was found: the one place the facts of a scan are assembled."""
    going_out = direction == Direction.OUT
    return decide(
        Facts(
            direction=direction,
            subject=found.subject,
            temperature=temperature,
            code_colour=code_colour or found.code_colour,
            stays_home=found.stay_home_measure is not None,
            in_lockdown=going_out and found.in_lockdown(at),
            host_in_lockdown=not going_out and facts.in_lockdown(host_household_id, at),
            pass_check=pass_check,
        ),
        fever_threshold=fever_threshold(),
        rules=scan_rules(),
    )


@dataclass(frozen=True)
class Standing:
    found: Found
    going_out: Decision
    coming_in: Decision


def person_standing(person_id: int, at: datetime) -> Standing:
    """What a checkpoint would decide for this registered person at `at`, both ways."""
    person = facts.persons_as_of(at).filter(pk=person_id).first()
    if person is None:
        found = Found(Subject.UNREGISTERED, "")
    else:
        found = Found(Subject.PERSON, "", person=person, household=person.household)
    return Standing(
        found=found,
        going_out=judge(found, direction=Direction.OUT, at=at),
        coming_in=judge(found, direction=Direction.IN, at=at),
    )
