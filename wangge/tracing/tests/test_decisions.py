"""Confirming, dismissing and reopening candidates; the verification list of the confirmed ones;
contacts the case named."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from wangge.command.models import VerificationRow
from wangge.core.models import AuditEntry
from wangge.measures.models import Case, MeasureType, PersonMeasure, RuleSet
from wangge.measures.services import measure_assign
from wangge.tracing.models import Candidate, CandidateStatus, NamedContact, Path
from wangge.tracing.services.decisions import (
    candidate_confirm,
    candidate_dismiss,
    candidate_reopen,
    decision_rights,
    may_confirm,
    may_decide,
    named_contact_add,
    verification_list_for,
)

Status = CandidateStatus
CLOSE = MeasureType.AppliesTo.CLOSE_CONTACT
SECOND = MeasureType.AppliesTo.CONTACT_OF_CONTACT


def _rules(name: str, start, until=None) -> dict[str, MeasureType]:
    rule_set = RuleSet.objects.create(
        name=name, kind=RuleSet.Kind.LOCAL, effective_from=start, effective_until=until
    )
    return {
        applies_to: MeasureType.objects.create(
            rule_set=rule_set,
            name=f"{name}{applies_to}",
            category=MeasureType.Category.HOME_ISOLATION,
            household_colour=MeasureType.Colour.RED,
            applies_to=applies_to,
            duration_days=days,
            test_days=[1],
            checkin_times=["08:00"],
        )
        for applies_to, days in ((CLOSE, 7), (SECOND, 5))
    }


@pytest.fixture
def traced(world):
    """A case (张三) with candidates 李四 (hop 1, grid a1), 王五 (hop 2, grid b), 赵六 (hop 1, grid d),
    and a rule set in force today beside a later one that is not yet."""
    today = timezone.localdate()
    rules = _rules("今日方案", today - timedelta(days=1))
    _rules("明日方案", today + timedelta(days=1))
    case = Case.objects.create(
        person=world.persons["zhang_san"], kind=Case.Kind.CONFIRMED, reported_on=today
    )
    now = timezone.now()
    candidates = {
        key: Candidate.objects.create(
            case=case,
            person=world.persons[key],
            path=path,
            hop=hop,
            evidence=[{"place": "卡点", "minutes": 12}],
            found_at=now,
            traced_at=now,
        )
        for key, path, hop in (
            ("li_si", Path.CO_LOCATED, 1),
            ("wang_wu", Path.SECOND_HOP, 2),
            ("zhao_liu", Path.CO_LOCATED, 1),
        )
    }
    return world, case, candidates, rules


def test_confirm_dismiss_reopen_and_who_may(traced):
    world, case, cands, rules = traced
    users = world.users
    with pytest.raises(PermissionDenied):  # grid a's worker: 王五 lives in grid b
        candidate_confirm(by=users["gavin"], candidate=cands["wang_wu"])
    with pytest.raises(PermissionDenied):  # the task force does not start measures
        candidate_confirm(by=users["tracy"], candidate=cands["li_si"])

    li = candidate_confirm(by=users["gavin"], candidate=cands["li_si"], note="同车")
    wang = candidate_confirm(by=users["bella"], candidate=cands["wang_wu"])
    assert (li.status, li.decided_by, li.decision_note) == (
        Status.CONFIRMED,
        users["gavin"],
        "同车",
    )
    assert li.measure.measure_type == rules[CLOSE]
    assert wang.measure.measure_type == rules[SECOND]
    assert wang.measure.start == timezone.localdate()
    assert PersonMeasure.objects.filter(person=world.persons["wang_wu"], status="active").count()
    with pytest.raises(ValidationError):
        candidate_confirm(by=users["alice"], candidate=li)
    with pytest.raises(ValidationError):  # a measure was made: it is ended on the measure
        candidate_reopen(by=users["alice"], candidate=li)

    zhao = cands["zhao_liu"]
    with pytest.raises(ValidationError):
        candidate_dismiss(by=users["alice"], candidate=zhao, reason="  ")
    with pytest.raises(PermissionDenied):
        candidate_dismiss(by=users["gavin"], candidate=zhao, reason="不在场")
    zhao = candidate_dismiss(by=users["tracy"], candidate=zhao, reason="轨迹有误")
    assert Candidate.objects.get(pk=zhao.pk).status == Status.DISMISSED
    assert zhao.decision_note == "轨迹有误" and zhao.measure is None
    with pytest.raises(ValidationError):
        candidate_confirm(by=users["alice"], candidate=zhao)
    zhao = candidate_reopen(by=users["tracy"], candidate=zhao)
    assert (zhao.status, zhao.decided_by, zhao.decision_note) == (Status.PENDING, None, "")
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"trace_confirm", "trace_dismiss", "trace_reopen"} <= actions


def test_a_person_under_a_measure_as_strict_keeps_it_and_a_weaker_one_is_refused(traced):
    # given 李四 already under a close contact's measure, 赵六 under a contact of a contact's
    world, case, cands, rules = traced
    alice, today = world.users["alice"], timezone.localdate()
    (held,) = measure_assign(
        by=alice,
        persons=[world.persons["li_si"]],
        measure_type=rules[CLOSE],
        start=today,
        reason="同户",
    )
    measure_assign(
        by=alice,
        persons=[world.persons["zhao_liu"]],
        measure_type=rules[SECOND],
        start=today,
        reason="同楼",
    )

    # when both are confirmed as close contacts (hop 1)
    li = candidate_confirm(by=alice, candidate=cands["li_si"])
    with pytest.raises(ValidationError, match="今日方案contact_of_contact"):
        candidate_confirm(by=alice, candidate=cands["zhao_liu"])

    # then 李四's running measure is the one recorded; 赵六 stays pending under the weaker one
    assert li.status == Status.CONFIRMED and li.measure == held
    assert PersonMeasure.objects.filter(person=world.persons["li_si"]).count() == 1
    assert Candidate.objects.get(pk=cands["zhao_liu"].pk).status == Status.PENDING


def test_verification_list_routes_to_each_grid(traced):
    world, case, cands, _ = traced
    users = world.users
    candidate_confirm(by=users["alice"], candidate=cands["li_si"])
    candidate_confirm(by=users["alice"], candidate=cands["wang_wu"])
    with pytest.raises(PermissionDenied):
        verification_list_for(by=users["gavin"], case=case, candidates=cands.values())
    with pytest.raises(ValidationError):  # only confirmed candidates are sent
        verification_list_for(by=users["tracy"], case=case, candidates=[cands["zhao_liu"]])

    vlist = verification_list_for(by=users["tracy"], case=case, candidates=cands.values())
    rows = {row.person_id: row for row in vlist.rows.all()}
    assert set(rows) == {world.persons["li_si"].pk, world.persons["wang_wu"].pk}
    li, wang = rows[world.persons["li_si"].pk], rows[world.persons["wang_wu"].pk]
    assert (li.grid, li.assignee, li.reason) == (world.grid_a1, users["gavin"], "密接")
    assert (wang.grid, wang.assignee, wang.reason) == (world.grid_b, users["bella"], "次密接")
    mine = VerificationRow.objects.restrict(users["bella"])
    assert list(mine.values_list("person_id", flat=True)) == [world.persons["wang_wu"].pk]
    again = verification_list_for(by=users["alice"], case=case, candidates=cands.values())
    assert again.pk != vlist.pk and again.rows_total == 2


def test_named_contacts(traced):
    world, case, _, _ = traced
    users = world.users
    named = named_contact_add(
        by=users["tracy"], case=case, person=world.persons["zhao_liu"], note="一起吃饭"
    )
    assert NamedContact.objects.get(pk=named.pk).note == "一起吃饭"
    with pytest.raises(ValidationError):
        named_contact_add(by=users["tracy"], case=case, person=world.persons["zhao_liu"])
    with pytest.raises(ValidationError):
        named_contact_add(by=users["tracy"], case=case, person=world.persons["zhang_san"])
    with pytest.raises(PermissionDenied):  # carol (east) cannot see 赵六 (west)
        named_contact_add(by=users["carol"], case=case, person=world.persons["zhao_liu"])
    assert AuditEntry.objects.filter(action="trace_named").count() == 1


def test_decision_rights_of_a_page_agree_with_each_candidate_s(traced):
    world, _case, cands, _rules = traced
    rows = list(Candidate.objects.select_related("person__household__grid__community"))
    for key in ("alice", "carol", "gavin", "bella", "tracy", "dora"):
        user = world.users[key]
        expected = {c.pk: (may_confirm(user, c), may_decide(user, c)) for c in rows}
        assert decision_rights(user, rows) == expected, key
    assert decision_rights(world.users["tracy"], rows)[cands["li_si"].pk] == (False, True)
