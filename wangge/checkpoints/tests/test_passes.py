"""出入证 quotas at their edges: one person every two days, the date the next exit is allowed, the
period boundary at local midnight, the last valid day, revoked passes, and what does not count."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied

from wangge.checkpoints import tokens
from wangge.checkpoints.models import Pass, Scan
from wangge.checkpoints.rules import Reason, Verdict
from wangge.checkpoints.services import pass_revoke, passes_issue

from .conftest import DAY, at, code_of, scan

# Kim mans the gate: on its duty roster on the days these tests scan.
pytestmark = pytest.mark.usefixtures("on_duty")


@pytest.fixture
def quota_gate(gate):
    gate.passes_required = True
    gate.save()
    return gate


def issue(world, **rule) -> Pass:
    rule.setdefault("valid_from", DAY)
    (card,) = passes_issue(by=world.users["carol"], households=[world.households["a"]], **rule)
    return card


def out(world, gate, person="zhang_san", **fields):
    fields.setdefault("code", code_of(world, world.persons[person]))
    return scan(world, gate, direction="out", **fields)


def test_without_a_pass_nobody_goes_out_where_passes_are_required(world, quota_gate, clock):
    outcome = out(world, quota_gate)
    assert (outcome.scan.verdict, outcome.reasons) == (Verdict.DENY, (Reason.PASS_MISSING,))
    assert (
        scan(
            world, quota_gate, direction="in", code=code_of(world, world.persons["zhang_san"])
        ).scan.verdict
        == Verdict.PASS
    )


def test_one_person_every_two_days(world, quota_gate, clock):
    issue(world, exits_per_period=1, period_days=2)
    first = out(world, quota_gate)
    assert first.scan.verdict == Verdict.PASS
    assert first.scan.pass_used is not None
    # a second member of the household the next day: the period (1st–2nd) is used up
    clock.move_to(at(DAY + timedelta(days=1), 23, 59))
    second = out(world, quota_gate, person="zhang_san")
    assert (second.scan.verdict, second.reasons) == (Verdict.DENY, (Reason.PASS_USED_UP,))
    assert second.scan.next_exit_on == date(2022, 7, 3)
    # at midnight the next period opens
    clock.move_to(at(date(2022, 7, 3), 0, 0))
    assert out(world, quota_gate).scan.verdict == Verdict.PASS


def test_a_quota_of_two_lets_two_out(world, quota_gate, clock):
    issue(world, exits_per_period=2, period_days=1)
    assert out(world, quota_gate).scan.verdict == Verdict.PASS
    assert out(world, quota_gate).scan.verdict == Verdict.PASS
    third = out(world, quota_gate)
    assert third.scan.verdict == Verdict.DENY
    assert third.scan.next_exit_on == date(2022, 7, 2)


def test_a_denied_exit_does_not_spend_the_quota(world, quota_gate, clock):
    issue(world, exits_per_period=1, period_days=2)
    feverish = out(world, quota_gate, temperature="38.2")
    assert feverish.scan.verdict == Verdict.DENY and feverish.scan.pass_used is None
    assert out(world, quota_gate).scan.verdict == Verdict.PASS


def test_coming_in_does_not_spend_the_quota(world, quota_gate, clock):
    issue(world, exits_per_period=1, period_days=2)
    text = code_of(world, world.persons["zhang_san"])
    assert scan(world, quota_gate, direction="in", code=text).scan.pass_used is None
    assert out(world, quota_gate).scan.verdict == Verdict.PASS


def test_the_last_valid_day_counts_and_the_next_exit_is_not_promised_beyond(
    world, quota_gate, clock
):
    issue(world, exits_per_period=1, period_days=2, valid_until=DAY + timedelta(days=1))
    assert out(world, quota_gate).scan.verdict == Verdict.PASS
    used_up = out(world, quota_gate)
    assert used_up.reasons == (Reason.PASS_USED_UP,)
    assert used_up.scan.next_exit_on is None
    clock.move_to(at(DAY + timedelta(days=2), 8))
    assert out(world, quota_gate).reasons == (Reason.PASS_MISSING,)


def test_a_pass_not_yet_valid_is_no_pass(world, quota_gate, clock):
    issue(world, valid_from=DAY + timedelta(days=1))
    assert out(world, quota_gate).reasons == (Reason.PASS_MISSING,)


def test_a_revoked_pass_no_longer_lets_out(world, quota_gate, clock):
    card = issue(world)
    pass_revoke(by=world.users["carol"], card=card, reason="违规外出")
    assert out(world, quota_gate).reasons == (Reason.PASS_MISSING,)
    card_text = tokens.payload(tokens.PASS, card.token_sealed)
    assert scan(world, quota_gate, direction="out", code=card_text).reasons == (
        Reason.REVOKED_CODE,
    )


def test_the_pass_card_itself_can_be_scanned(world, gate, clock):
    # passes are spent when the card is shown, even at a gate that does not require them
    card = issue(world, exits_per_period=1, period_days=2)
    text = tokens.payload(tokens.PASS, card.token_sealed)
    first = scan(world, gate, direction="out", code=text)
    assert first.scan.verdict == Verdict.PASS
    assert first.scan.household == world.households["a"]
    assert first.subject_label == "出入证 · 1幢"
    assert scan(world, gate, direction="out", code=text).reasons == (Reason.PASS_USED_UP,)


def test_a_household_holds_one_valid_pass(world):
    issue(world)
    again = passes_issue(
        by=world.users["carol"], households=[world.households["a"]], valid_from=DAY
    )
    assert again == []
    assert Pass.objects.count() == 1


def test_passes_are_issued_only_in_ones_own_area(world):
    with pytest.raises(PermissionDenied):
        passes_issue(by=world.users["bella"], households=[world.households["a"]], valid_from=DAY)


def test_the_periods_count_from_the_first_valid_day(world):
    card = issue(world, valid_from=date(2022, 7, 1), period_days=3)
    assert card.period(date(2022, 7, 3)) == (date(2022, 7, 1), date(2022, 7, 4))
    assert card.period(date(2022, 7, 4)) == (date(2022, 7, 4), date(2022, 7, 7))
    assert not Scan.objects.exists()
