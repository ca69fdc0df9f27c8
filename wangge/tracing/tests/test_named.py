"""Persons the case named, taken from a 协查 list read by the command's verification lists."""

from io import BytesIO

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from wangge.command.models import VerificationList
from wangge.command.services.verification import verification_list_import
from wangge.core.models import AuditEntry
from wangge.measures.models import Case
from wangge.tracing.models import NamedContact
from wangge.tracing.services.named import NamedFromList, named_from_list


def _list(world, rows: list[list[str]]) -> VerificationList:
    book = openpyxl.Workbook()
    book.active.append(["姓名", "证件号码", "手机号"])
    for row in rows:
        book.active.append(row)
    stream = BytesIO()
    book.save(stream)
    stream.seek(0)
    return verification_list_import(
        street=world.street,
        stream=stream,
        original_name="case-named.xlsx",
        by=world.users["alice"],
        title="外区协查：病例自述接触者",
    )


@pytest.fixture
def case(world):
    return Case.objects.create(
        person=world.persons["li_si"], kind=Case.Kind.CONFIRMED, reported_on=timezone.localdate()
    )


def _row(person) -> list[str]:
    return [person.name, person.id_number, person.phone]


@pytest.mark.django_db
def test_the_matched_persons_of_a_list_are_named_once_with_their_row(world, case):
    # given a list of Wang Wu (twice), Zhao Liu, the case person, and a stranger; Zhao Liu named
    persons = world.persons
    vlist = _list(
        world,
        [
            _row(persons["wang_wu"]),
            _row(persons["zhao_liu"]),
            _row(persons["li_si"]),
            ["陌生人", "", "13012345678"],
            _row(persons["wang_wu"]),
        ],
    )
    NamedContact.objects.create(case=case, person=persons["zhao_liu"], at=timezone.now())

    # when the tracing staff take the list for the case
    result = named_from_list(by=world.users["tracy"], case=case, vlist=vlist)

    # then Wang Wu is named once, with the list and row; the rest are counted
    assert result == NamedFromList(named=1, already=1, unmatched=1, case_person=1)
    named = NamedContact.objects.get(case=case, person=persons["wang_wu"])
    assert (
        named.note == "协查名单「外区协查：病例自述接触者」第2行"
        and named.by == world.users["tracy"]
    )
    entry = AuditEntry.objects.get(action="trace_named_list")
    assert entry.changes["named"] == 1 and entry.changes["list"] == vlist.pk
    # and taking it again names nobody new
    again = named_from_list(by=world.users["tracy"], case=case, vlist=vlist)
    assert again.named == 0 and again.already == 2


@pytest.mark.django_db
def test_only_the_street_staff_may_take_a_list_that_has_been_read(world, case):
    vlist = _list(world, [_row(world.persons["wang_wu"])])
    with pytest.raises(PermissionDenied):
        named_from_list(by=world.users["gavin"], case=case, vlist=vlist)
    VerificationList.objects.filter(pk=vlist.pk).update(status=VerificationList.Status.PENDING)
    vlist.refresh_from_db()
    with pytest.raises(ValidationError):
        named_from_list(by=world.users["alice"], case=case, vlist=vlist)
    assert not NamedContact.objects.exists()


@pytest.mark.django_db
def test_the_case_page_and_the_api_take_a_list(world, case, client, api_client_for):
    vlist = _list(world, [_row(world.persons["wang_wu"])])
    client.force_login(world.users["tracy"])
    page = client.get(reverse("tracing:case", args=[case.pk])).content.decode()
    assert 'data-testid="named-list-form"' in page and vlist.title in page

    response = client.post(reverse("tracing:case_named_list", args=[case.pk]), {"vlist": vlist.pk})
    assert response.status_code == 302
    assert NamedContact.objects.filter(case=case, person=world.persons["wang_wu"]).exists()

    url = reverse("trace-case-named-from-list", args=[case.pk])
    answer = api_client_for(world.users["tracy"]).post(url, {"list": vlist.pk}, format="json")
    assert answer.status_code == 201 and answer.json()["already"] == 1
    # Gavin sees the case (Li Si is in his grid) but not the list (Wang Wu is not)
    refused = api_client_for(world.users["gavin"]).post(url, {"list": vlist.pk}, format="json")
    assert refused.status_code == 400 and "list" in refused.json()
