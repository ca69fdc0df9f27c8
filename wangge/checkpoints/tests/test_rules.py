"""The one rules function, without a database: each rule, their severity, and configuration."""

from datetime import date
from decimal import Decimal

import pytest

from wangge.checkpoints.config import scan_rules
from wangge.checkpoints.rules import (
    DEFAULT_RULES,
    OFF,
    Direction,
    Facts,
    PassCheck,
    Reason,
    Subject,
    Verdict,
    decide,
)

THRESHOLD = Decimal("37.3")


def judge(rules: dict | None = None, **facts) -> tuple[str, tuple[str, ...]]:
    facts.setdefault("direction", Direction.OUT)
    facts.setdefault("subject", Subject.PERSON)
    decision = decide(Facts(**facts), fever_threshold=THRESHOLD, rules=rules or DEFAULT_RULES)
    return decision.verdict, decision.reasons


def test_a_green_registered_person_without_fever_passes():
    assert judge(code_colour="green", temperature=Decimal("36.5")) == (Verdict.PASS, ())


@pytest.mark.parametrize(
    ("facts", "expected"),
    [
        ({"code_colour": "red"}, (Verdict.DENY, (Reason.RED_CODE,))),
        ({"code_colour": "yellow"}, (Verdict.CHECK, (Reason.YELLOW_CODE,))),
        ({"temperature": Decimal("37.3")}, (Verdict.DENY, (Reason.FEVER,))),
        ({"stays_home": True}, (Verdict.DENY, (Reason.STAY_HOME_OUT,))),
        ({"in_lockdown": True}, (Verdict.DENY, (Reason.LOCKDOWN_OUT,))),
        ({"subject": Subject.UNREGISTERED}, (Verdict.CHECK, (Reason.UNREGISTERED,))),
        ({"subject": Subject.AMBIGUOUS}, (Verdict.CHECK, (Reason.AMBIGUOUS,))),
        ({"subject": Subject.INVALID_CODE}, (Verdict.CHECK, (Reason.INVALID_CODE,))),
        ({"subject": Subject.REVOKED_CODE}, (Verdict.CHECK, (Reason.REVOKED_CODE,))),
        (
            {"direction": Direction.IN, "subject": Subject.VISITOR, "host_in_lockdown": True},
            (Verdict.DENY, (Reason.HOST_LOCKDOWN,)),
        ),
        ({"pass_check": PassCheck(has_pass=False)}, (Verdict.DENY, (Reason.PASS_MISSING,))),
        (
            {"pass_check": PassCheck(has_pass=True, exits_left=0)},
            (Verdict.DENY, (Reason.PASS_USED_UP,)),
        ),
    ],
)
def test_each_rule(facts, expected):
    assert judge(**facts) == expected


def test_just_below_the_threshold_is_no_fever():
    assert judge(temperature=Decimal("37.2")) == (Verdict.PASS, ())


@pytest.mark.parametrize("reason_fact", [{"stays_home": True}, {"in_lockdown": True}])
def test_staying_home_only_stops_going_out(reason_fact):
    assert judge(direction=Direction.IN, **reason_fact) == (Verdict.PASS, ())


def test_a_pass_with_exits_left_lets_out():
    assert judge(pass_check=PassCheck(has_pass=True, exits_left=1)) == (Verdict.PASS, ())


def test_the_most_severe_reason_decides_and_all_are_given():
    verdict, reasons = judge(code_colour="yellow", temperature=Decimal("38.0"))
    assert verdict == Verdict.DENY
    assert reasons == (Reason.YELLOW_CODE, Reason.FEVER)


def test_a_used_up_pass_gives_the_next_exit_date():
    facts = Facts(
        direction=Direction.OUT,
        subject=Subject.HOUSEHOLD,
        pass_check=PassCheck(has_pass=True, exits_left=0, next_exit_on=date(2022, 7, 3)),
    )
    decision = decide(facts, fever_threshold=THRESHOLD, rules=DEFAULT_RULES)
    assert decision.next_exit_on == date(2022, 7, 3)


def test_rules_are_configuration(settings):
    # given: a street that lets yellow codes through and turns red codes back only to be checked
    settings.WANGGE = {
        **settings.WANGGE,
        "CHECKPOINT_RULES": {Reason.YELLOW_CODE: OFF, Reason.RED_CODE: Verdict.CHECK},
    }
    rules = scan_rules()
    # then
    assert judge(rules, code_colour="yellow") == (Verdict.PASS, ())
    assert judge(rules, code_colour="red") == (Verdict.CHECK, (Reason.RED_CODE,))
    assert judge(rules, temperature=Decimal("39.0"))[0] == Verdict.DENY


def test_a_misspelt_verdict_in_configuration_is_refused(settings):
    settings.WANGGE = {**settings.WANGGE, "CHECKPOINT_RULES": {Reason.FEVER: "reject"}}
    with pytest.raises(ValueError, match="fever"):
        scan_rules()
