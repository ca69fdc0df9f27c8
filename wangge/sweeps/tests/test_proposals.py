"""What answers find becomes proposals, PROPOSED; the register stays as it was."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from wangge.people.models import Person
from wangge.sweeps.models import AttemptResult, Proposal, ProposalStatus
from wangge.sweeps.services.visits import attempt_record
from wangge.sweeps.tests.conftest import answers_for, at, cid


def answer(world, visit, answers):
    return attempt_record(
        by=world.users["gavin"],
        visit=visit,
        client_id=cid(),
        at=at(6, 10),
        result=AttemptResult.ANSWERED,
        answers=answers,
    )


def test_findings_become_proposals_and_the_register_is_unchanged(world, visit_a):
    # given 张三 (born 1980) and his mother, 82, never vaccinated, back from a risk area
    zhang = world.persons["zhang_san"]
    mother = Person(household=zhang.household, birth_date=date(1940, 1, 1))
    mother.set_name("张母")
    mother.set_id_number("330783194001010027")
    mother.set_phone("13800009999")
    mother.save()
    z, m = str(zhang.pk), str(mother.pk)
    answers = answers_for(
        visit_a,
        **{
            "residents.present": {z: False, m: True},
            "residents.phone": {m: "13911112222"},
            "residents.newcomers": "李小红 13566667777\n王小明",
            "travel.away": {z: False, m: True},
            "travel.risk_area": {m: True},
            "travel.places": {m: "上海"},
            "travel.returned_on": {m: "2022-07-02"},
            "vaccination.doses": {z: "none", m: "none"},
            "elderly.need": True,
            "elderly.kind": "medicine",
            "elderly.detail": "降压药",
        },
    )
    before = Person.objects.values_list("pk", "status", "phone_hash").order_by("pk")
    before = list(before)
    # when
    answer(world, visit_a, answers)
    # then
    found = sorted((p.kind, p.person_id) for p in Proposal.objects.all())
    assert found == sorted(
        [
            ("moved_out", zhang.pk),
            ("person_field", mother.pk),
            ("new_person", None),
            ("new_person", None),
            ("returnee", mother.pk),
            ("unvaccinated", mother.pk),
            ("need", None),
        ]
    )
    assert set(Proposal.objects.values_list("status", flat=True)) == {ProposalStatus.PROPOSED}
    phone = Proposal.objects.get(kind="person_field")
    assert phone.details["masked"] == "139****2222" and phone.details["sealed"]
    assert Proposal.objects.get(kind="unvaccinated").details == {"age": 82}
    assert list(Person.objects.values_list("pk", "status", "phone_hash").order_by("pk")) == before
    visit_a.refresh_from_db()
    assert visit_a.answers["residents.phone"] == {m: "139****2222"}
    assert "13566667777" not in str(visit_a.answers)
    assert visit_a.persons == 3  # the mother and the two newcomers; 张三 moved out


def test_the_same_phone_as_the_register_proposes_nothing(world, visit_a):
    zhang = str(world.persons["zhang_san"].pk)
    answer(world, visit_a, answers_for(visit_a, **{"residents.phone": {zhang: "138 0000 1111"}}))
    assert not Proposal.objects.exists()


def test_a_travel_date_before_the_campaigns_date_is_refused(world, visit_a):
    zhang = str(world.persons["zhang_san"].pk)
    answers = answers_for(
        visit_a,
        **{
            "travel.away": {zhang: True},
            "travel.risk_area": {zhang: False},
            "travel.places": {zhang: "杭州"},
            "travel.returned_on": {zhang: "2022-06-01"},
        },
    )
    with pytest.raises(ValidationError, match="早于行程起始日期"):
        answer(world, visit_a, answers)


def test_an_answer_for_someone_not_in_the_household_is_refused(world, visit_a):
    stranger = str(world.persons["wang_wu"].pk)
    answers = answers_for(visit_a)
    answers["vaccination.doses"][stranger] = "full"
    with pytest.raises(ValidationError, match="不是本户成员"):
        answer(world, visit_a, answers)


def test_a_member_who_moved_out_is_asked_nothing_more(world, visit_a):
    zhang = str(world.persons["zhang_san"].pk)
    answers = {"residents.present": {zhang: False}, "elderly.need": False}
    answer(world, visit_a, answers)
    assert list(Proposal.objects.values_list("kind", flat=True)) == ["moved_out"]
