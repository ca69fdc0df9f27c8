import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from conftest import make_id_number
from wangge.core.models import AuditEntry
from wangge.people import services
from wangge.people.models import Person
from wangge.people.services import PersonData


def data_of(person: Person, **changes) -> PersonData:
    values = {
        "name": person.name,
        "id_type": person.id_type,
        "id_number": None,
        "phone": None,
        "residence_type": person.residence_type,
        "relation": person.relation,
    }
    return PersonData(**{**values, **changes})


def test_update_keeps_identifiers_without_decrypting_them(world, monkeypatch):
    # given a person, and decryption made impossible
    person = world.persons["zhang_san"]
    hash_before, phone_before = person.id_number_hash, person.phone_hash
    monkeypatch.setattr("wangge.core.crypto.unseal", lambda sealed: pytest.fail("decrypted"))

    # when only the note changes
    services.person_update(
        by=world.users["gavin"], person=person, data=data_of(person, note="独居")
    )

    # then the identifiers are the stored ones and the change is audited
    person.refresh_from_db()
    assert (person.note, person.id_number_hash, person.phone_hash) == (
        "独居",
        hash_before,
        phone_before,
    )
    entry = AuditEntry.objects.get(target_id=str(person.pk), action="update")
    assert entry.changes == {"note": ["", "独居"]}


def test_create_needs_an_id_number(world):
    with pytest.raises(ValidationError) as error:
        services.person_create(
            by=world.users["gavin"],
            household=world.households["a"],
            data=PersonData(name="新人", id_type="resident", id_number=None),
        )
    assert "id_number" in error.value.message_dict


def test_sex_contradicting_the_id_is_refused(world):
    with pytest.raises(ValidationError) as error:
        services.person_create(
            by=world.users["gavin"],
            household=world.households["a"],
            data=PersonData(
                name="新人", id_type="resident", id_number=make_id_number(40, male=True), sex="F"
            ),
        )
    assert "sex" in error.value.message_dict
    assert not Person.objects.filter(name="新人").exists()


def test_same_id_twice_is_refused(world):
    with pytest.raises(ValidationError, match="已登记"):
        services.person_create(
            by=world.users["gavin"],
            household=world.households["a"],
            data=PersonData(name="张三", id_type="resident", id_number=make_id_number(1)),
        )


def test_grid_worker_cannot_register_in_another_grid(world):
    with pytest.raises(PermissionDenied):
        services.person_create(
            by=world.users["gavin"],
            household=world.households["b"],
            data=PersonData(name="新人", id_type="resident", id_number=make_id_number(41)),
        )


def test_reveal_is_audited_and_refused_without_permission(world):
    person = world.persons["zhang_san"]

    full = services.person_reveal(
        by=world.users["gavin"], person=person, field="id_number", reason="核实"
    )

    assert full == make_id_number(1)
    assert (
        AuditEntry.objects.filter(action="reveal", target_id=str(person.pk), reason="核实").count()
        == 1
    )
    with pytest.raises(PermissionDenied):
        services.person_reveal(by=world.users["bella"], person=person, field="phone")


def test_status_change_keeps_history(world):
    person = world.persons["zhang_san"]

    services.person_set_status(
        by=world.users["gavin"], person=person, status=Person.Status.AWAY, note="外出务工"
    )

    assert list(person.status_changes.values_list("status", flat=True)) == ["away"]


def test_two_numbers_typed_in_the_phone_field_keep_the_second_revealed_only_with_audit(world):
    # given a grid worker who types two numbers into a person's phone field
    person = world.persons["zhang_san"]
    gavin = world.users["gavin"]

    # when the person is saved
    services.person_update(
        by=gavin, person=person, data=data_of(person, phone="178-3401-9904 / 0571 8765 4321")
    )

    # then the first is the phone, the second the second phone, shown masked
    person.refresh_from_db()
    assert person.phone == "17834019904"
    assert person.second_phone_masked == "0571-****4321"
    # and revealing it is audited, and refused to the next grid's worker
    assert (
        services.person_reveal(by=gavin, person=person, field="second_phone", reason="回访")
        == "0571-87654321"
    )
    assert AuditEntry.objects.filter(
        action="reveal", target_id=str(person.pk), changes={"field": "second_phone"}
    ).exists()
    with pytest.raises(PermissionDenied):
        services.person_reveal(by=world.users["bella"], person=person, field="second_phone")
