"""What a visit found changes the register only when the grid worker confirms it, through the
register's own services, and exactly as it says; a rejection changes nothing; a finding is decided
once, and only by someone who may edit the household's grid."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from conftest import make_id_number
from wangge.command.models import Task
from wangge.core import crypto
from wangge.core.models import AuditEntry
from wangge.core.roles import Role
from wangge.measures.models import ArrivalReport
from wangge.people.models import Assignment, Person
from wangge.people.services import person_snapshot
from wangge.sweeps.models import Proposal, ProposalStatus
from wangge.sweeps.services.proposals import Identity, proposal_confirm, proposal_reject
from wangge.sweeps.tests.sweep_world import proposal_of, sweep_of

Kind = Proposal.Kind


@pytest.fixture
def sweep(world):
    return sweep_of(world)


def register(world) -> dict:
    """Every person of the street as the register holds them, and the counts of what a
    confirmation could make."""
    return {
        "persons": {p.pk: person_snapshot(p) for p in Person.objects.all()},
        "tasks": Task.objects.count(),
        "arrivals": ArrivalReport.objects.count(),
    }


def findings(world, sweep) -> list[Proposal]:
    """One finding of each kind at 1-101 (张三's household, grid A), as a visit writes them."""
    visit, zhang = sweep.visits["a"], world.persons["zhang_san"]
    yesterday = str(timezone.localdate() - timedelta(days=1))
    return [
        proposal_of(visit, Kind.PERSON_FIELD, zhang, field="phone", masked="139****8888",
                    sealed=crypto.seal("13900008888")),
        proposal_of(visit, Kind.MOVED_OUT, zhang),
        proposal_of(visit, Kind.NEW_PERSON, name="张小明", masked="135****0000",
                    sealed=crypto.seal("13500000000")),
        proposal_of(visit, Kind.RETURNEE, zhang, places="上海市浦东新区", returned_on=yesterday),
        proposal_of(visit, Kind.UNVACCINATED, zhang, age=82),
        proposal_of(visit, Kind.NEED, kind="medicine", detail="需要降压药"),
    ]  # fmt: skip


def test_findings_left_proposed_change_nothing(world, sweep):
    # given the register, then one finding of each kind
    before = register(world)
    findings(world, sweep)

    # then nothing in the register moved
    assert register(world) == before


def test_rejecting_each_kind_changes_nothing_and_keeps_the_reason(world, sweep):
    before = register(world)
    for proposal in findings(world, sweep):
        proposal_reject(by=world.users["gavin"], proposal=proposal, reason="核实有误")

    assert register(world) == before
    assert set(Proposal.objects.values_list("status", "outcome")) == {
        (ProposalStatus.REJECTED, "驳回：核实有误")
    }
    assert AuditEntry.objects.filter(action="reject").count() == 6


def test_a_changed_phone_is_written_through_the_person_update(world, sweep):
    phone, *_ = findings(world, sweep)
    zhang = world.persons["zhang_san"]

    proposal_confirm(by=world.users["gavin"], proposal=phone)

    zhang.refresh_from_db()
    assert zhang.phone_masked == "139****8888"
    assert AuditEntry.objects.filter(action="update", target_id=str(zhang.pk)).exists()
    phone.refresh_from_db()
    assert (phone.status, phone.outcome_model, phone.outcome_id) == (
        ProposalStatus.CONFIRMED,
        "people.person",
        zhang.pk,
    )


def test_a_person_moved_away_is_set_moved_out(world, sweep):
    _, moved, *_ = findings(world, sweep)
    before = register(world)

    proposal_confirm(by=world.users["gavin"], proposal=moved)

    zhang = world.persons["zhang_san"]
    after = register(world)
    assert after["persons"][zhang.pk]["status"] == Person.Status.MOVED_OUT
    after["persons"][zhang.pk]["status"] = Person.Status.PRESENT
    assert after == before  # and nothing else changed
    assert zhang.status_changes.filter(note__contains="扫楼走访").exists()


def test_a_new_member_is_registered_in_the_household(world, sweep):
    new = findings(world, sweep)[2]

    identity = Identity(id_number=make_id_number(40), relation=Person.Relation.CHILD)
    proposal_confirm(by=world.users["gavin"], proposal=new, identity=identity)

    person = Person.objects.get(name="张小明")
    assert (person.household, person.relation) == (world.households["a"], "child")
    assert person.phone_masked == "135****0000"
    new.refresh_from_db()
    assert new.outcome_id == person.pk and new.outcome == "张小明已登记入户"


def test_a_returnee_becomes_an_arrival_report_to_confirm(world, sweep):
    returnee = findings(world, sweep)[3]
    persons = Person.objects.count()

    proposal_confirm(by=world.users["gavin"], proposal=returnee)

    report = ArrivalReport.objects.get()
    assert (report.person, report.host_household, report.origin_province) == (
        world.persons["zhang_san"],
        world.households["a"],
        "上海市浦东新区",
    )
    assert report.status == ArrivalReport.Status.PENDING  # the measure is the next decision
    assert Person.objects.count() == persons
    returnee.refresh_from_db()
    assert (returnee.outcome_model, returnee.outcome_id) == ("measures.arrivalreport", report.pk)


def test_an_unvaccinated_elder_is_a_task_for_the_grids_doctor(world, sweep):
    # given a doctor responsible for grid A
    Assignment.objects.create(holder_user=world.users["dora"], grid=world.grid_a, duty=Role.DOCTOR)
    elder = findings(world, sweep)[4]
    before = register(world)

    proposal_confirm(by=world.users["gavin"], proposal=elder)

    task = Task.objects.get()
    assert task.title.startswith("未接种老人：张三")
    assert [a.user for a in task.assignments.all()] == [world.users["dora"]]
    assert register(world) == before | {"tasks": 1}


def test_a_need_is_a_task_for_the_grid(world, sweep):
    need = findings(world, sweep)[5]

    proposal_confirm(by=world.users["gavin"], proposal=need)

    task = Task.objects.get()
    assert [a.grid for a in task.assignments.all()] == [world.grid_a]
    assert task.description == "需要降压药" and task.title.startswith("走访需求：需要降压药")
    need.refresh_from_db()
    assert need.outcome_model == "command.task" and need.outcome_id == task.pk


def test_a_decided_finding_cannot_be_decided_again(world, sweep):
    need = findings(world, sweep)[5]
    proposal_confirm(by=world.users["gavin"], proposal=need)

    with pytest.raises(ValidationError, match="已处理"):
        proposal_confirm(by=world.users["gavin"], proposal=need)
    with pytest.raises(ValidationError, match="已处理"):
        proposal_reject(by=world.users["gavin"], proposal=need, reason="重复")
    assert Task.objects.count() == 1


@pytest.mark.parametrize("username", ["bella", "dora", "tracy"])
def test_only_who_may_edit_the_households_grid_decides(world, sweep, username):
    need = findings(world, sweep)[5]

    with pytest.raises(PermissionDenied):
        proposal_confirm(by=world.users[username], proposal=need)
    with pytest.raises(PermissionDenied):
        proposal_reject(by=world.users[username], proposal=need, reason="无")
    need.refresh_from_db()
    assert need.status == ProposalStatus.PROPOSED


def test_a_refusal_by_the_register_undoes_the_decision(world, sweep):
    # given a newcomer whose ID number, as the worker types it, is already registered (李四's)
    new = findings(world, sweep)[2]
    before = register(world)

    with pytest.raises(ValidationError, match="已登记"):
        proposal_confirm(
            by=world.users["gavin"], proposal=new, identity=Identity(id_number=make_id_number(2))
        )

    new.refresh_from_db()
    assert new.status == ProposalStatus.PROPOSED and register(world) == before


def test_a_newcomer_needs_the_id_number_the_worker_has_seen(world, sweep):
    new = findings(world, sweep)[2]
    with pytest.raises(ValidationError, match="证件号码"):
        proposal_confirm(by=world.users["gavin"], proposal=new)


def test_a_rejection_needs_a_reason(world, sweep):
    need = findings(world, sweep)[5]
    with pytest.raises(ValidationError):
        proposal_reject(by=world.users["gavin"], proposal=need, reason="  ")
