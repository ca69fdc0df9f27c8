"""防疫登记 through the services: nothing reaches the register before the grid worker confirms,
confirming applies the whole registration or nothing, and 代办 and on-behalf are recorded.

Zhang San (13800001111) lives in household "a" of grid A (Gavin's); Bella works grid B."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from conftest import make_id_number
from wangge.core.models import Alert, AuditEntry
from wangge.people.models import Person
from wangge.regions.models import Household
from wangge.residents.models import Registration, Vehicle
from wangge.residents.services import (
    MemberEntry,
    RegistrationInput,
    account_for_phone,
    registration_confirm,
    registration_landlord_answer,
    registration_reject,
    registration_submit,
    registration_withdraw,
)

pytestmark = pytest.mark.django_db

GRANDMA_ID = make_id_number(90, male=False)


def _grandma(**overrides: object) -> MemberEntry:
    values = {"name": "张奶奶", "relation": "parent", "id_number": GRANDMA_ID, **overrides}
    return MemberEntry(**values)  # type: ignore[arg-type]


def _add_grandma(account, **overrides: object) -> Registration:
    data = RegistrationInput(
        residence_type="registered", members=[_grandma(**overrides)], plates_add=["浙ａ·12345"]
    )
    return registration_submit(account=account, data=data)


def test_a_change_waits_for_the_grid_worker_and_confirming_writes_the_register(world):
    # given
    account = account_for_phone(phone="13800001111")
    # when
    registration = _add_grandma(account)
    # then nothing is in the register yet, and the grid worker has one alert
    assert registration.status == Registration.Status.PENDING
    assert not Person.objects.filter(name="张奶奶").exists()
    assert Alert.objects.filter(recipient=world.users["gavin"]).count() == 1
    # when the grid worker confirms
    registration_confirm(by=world.users["gavin"], registration=registration)
    # then
    grandma = Person.objects.get(name="张奶奶")
    assert grandma.household == world.households["a"]
    assert grandma.sex == "F" and grandma.relation == "parent"
    assert Vehicle.objects.get().plate == "浙A12345"
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CONFIRMED
    assert AuditEntry.objects.filter(action="confirm", target_id=str(registration.pk)).exists()


def test_a_member_entered_for_another_is_recorded_as_proxied(world):
    account = account_for_phone(phone="13800001111")
    data = RegistrationInput(
        residence_type="registered",
        members=[
            MemberEntry(name="张三", relation="head", person_id=world.persons["zhang_san"].pk),
            _grandma(),
        ],
    )
    registration = registration_submit(account=account, data=data)
    assert [(m.name, m.proxied) for m in registration.members.all()] == [("张奶奶", True)]
    assert registration.account == account and not registration.on_behalf


def test_a_grid_worker_registers_on_a_residents_behalf(world):
    data = RegistrationInput(
        residence_type="registered", members=[_grandma()], household_id=world.households["a"].pk
    )
    registration = registration_submit(account=None, by=world.users["gavin"], data=data)
    assert registration.on_behalf and registration.by == world.users["gavin"]
    own = account_for_phone(phone="13800001111")
    from wangge.residents.registration_selectors import own_registrations

    assert list(own_registrations(own)) == [registration]
    with pytest.raises(ValidationError):
        registration_submit(
            account=None,
            by=world.users["bella"],
            data=RegistrationInput(
                residence_type="registered",
                members=[_grandma()],
                household_id=world.households["a"].pk,
            ),
        )


@pytest.mark.parametrize(
    ("member", "message"),
    [
        ({"id_number": GRANDMA_ID[:-1] + ("0" if GRANDMA_ID[-1] != "0" else "1")}, "校验位错误"),
        ({"phone": "1380000"}, "无法识别的电话号码"),
        ({"relation": "cousin"}, "与户主关系无效"),
    ],
)
def test_a_bad_id_or_phone_is_named_and_nothing_is_written(world, member, message):
    account = account_for_phone(phone="13800001111")
    with pytest.raises(ValidationError) as refused:
        _add_grandma(account, **member)
    assert message in str(refused.value) and "张奶奶" in str(refused.value)
    assert not Registration.objects.exists()


def test_an_id_registered_elsewhere_refuses_the_whole_confirmation(world):
    account = account_for_phone(phone="13800001111")
    data = RegistrationInput(
        residence_type="registered",
        members=[
            _grandma(),
            MemberEntry(name="王五", relation="relative", id_number=make_id_number(3)),
        ],
    )
    registration = registration_submit(account=account, data=data)
    with pytest.raises(ValidationError) as refused:
        registration_confirm(by=world.users["gavin"], registration=registration)
    assert "王五" in str(refused.value) and "已登记" in str(refused.value)
    assert not Person.objects.filter(name="张奶奶").exists()
    registration.refresh_from_db()
    assert registration.status == Registration.Status.PENDING


def test_rejection_carries_its_reason_and_needs_one(world):
    account = account_for_phone(phone="13800001111")
    registration = _add_grandma(account)
    with pytest.raises(ValidationError):
        registration_reject(by=world.users["gavin"], registration=registration, reason=" ")
    registration_reject(by=world.users["gavin"], registration=registration, reason="证件照不清")
    registration.refresh_from_db()
    assert (registration.status, registration.reason) == ("rejected", "证件照不清")
    assert not Person.objects.filter(name="张奶奶").exists()


def test_another_grids_worker_can_neither_confirm_nor_reject(world):
    registration = _add_grandma(account_for_phone(phone="13800001111"))
    with pytest.raises(PermissionDenied):
        registration_confirm(by=world.users["bella"], registration=registration)
    with pytest.raises(PermissionDenied):
        registration_reject(by=world.users["bella"], registration=registration, reason="不")
    assert not Registration.objects.restrict(world.users["bella"]).exists()


def test_a_tenant_waits_for_the_landlord_then_the_grid_worker(world):
    # given a newcomer renting room 102 of Zhang San's building from Zhang San
    tenant = account_for_phone(phone="17834019904")
    data = RegistrationInput(
        residence_type="renting",
        building_id=world.households["a"].building_id,
        unit="1",
        room="102",
        landlord_phone="138 0000 1111",
        members=[
            MemberEntry(
                name="孙七", relation="head", id_number=make_id_number(77), phone="17834019904"
            )
        ],
    )
    registration = registration_submit(account=tenant, data=data)
    assert registration.status == Registration.Status.LANDLORD
    assert not Alert.objects.exists()
    # the grid worker may not confirm before the landlord without saying why
    with pytest.raises(ValidationError):
        registration_confirm(by=world.users["gavin"], registration=registration)
    # when the landlord confirms
    landlord = account_for_phone(phone="13800001111")
    registration_landlord_answer(account=landlord, registration_id=registration.pk, agree=True)
    registration.refresh_from_db()
    assert registration.status == Registration.Status.PENDING
    assert Alert.objects.filter(recipient=world.users["gavin"]).count() == 1
    # then the grid worker confirms: a new rental household, its landlord, the tenant's account
    registration_confirm(by=world.users["gavin"], registration=registration)
    home = Household.objects.get(room="102")
    assert home.kind == Household.Kind.RENTAL and home.landlord == world.persons["zhang_san"]
    tenant.refresh_from_db()
    assert tenant.household == home and tenant.person.name == "孙七"


def test_the_grid_worker_may_confirm_without_an_unreachable_landlord(world):
    tenant = account_for_phone(phone="17834019904")
    data = RegistrationInput(
        residence_type="renting",
        building_id=world.households["a"].building_id,
        room="103",
        landlord_phone="13512345678",
        members=[MemberEntry(name="孙七", relation="head", id_number=make_id_number(77))],
    )
    registration = registration_submit(account=tenant, data=data)
    registration_confirm(
        by=world.users["gavin"],
        registration=registration,
        without_landlord=True,
        note="房东在外地，电话未接通",
    )
    registration.refresh_from_db()
    assert registration.landlord_skipped and registration.status == "confirmed"


def test_a_resident_withdraws_only_their_own_and_a_new_one_replaces_the_open_one(world):
    account = account_for_phone(phone="13800001111")
    first = _add_grandma(account)
    second = _add_grandma(account, name="张姥姥")
    first.refresh_from_db()
    assert first.status == Registration.Status.WITHDRAWN
    other = account_for_phone(phone="13700003333")
    with pytest.raises(Registration.DoesNotExist):
        registration_withdraw(account=other, registration_id=second.pk)
    registration_withdraw(account=account, registration_id=second.pk)
    second.refresh_from_db()
    assert second.status == Registration.Status.WITHDRAWN


def test_the_residence_type_changes_the_others_only_for_the_whole_household(world):
    account = account_for_phone(phone="13800001111")
    zhang_san = MemberEntry(name="张三", relation="head", person_id=world.persons["zhang_san"].pk)
    alone = RegistrationInput(residence_type="permanent", members=[zhang_san, _grandma()])
    first = registration_submit(account=account, data=alone)
    assert [m.name for m in first.members.all()] == ["张奶奶"]
    whole = RegistrationInput(
        residence_type="permanent", members=[zhang_san], residence_for_all=True
    )
    registration_confirm(
        by=world.users["gavin"], registration=registration_submit(account=account, data=whole)
    )
    world.persons["zhang_san"].refresh_from_db()
    assert world.persons["zhang_san"].residence_type == "permanent"


def test_a_resident_cannot_name_another_households_member(world):
    account = account_for_phone(phone="13800001111")
    stranger = MemberEntry(name="王五", relation="other", person_id=world.persons["wang_wu"].pk)
    data = RegistrationInput(
        residence_type="registered", members=[stranger], residence_for_all=True
    )
    with pytest.raises(ValidationError) as refused:
        registration_submit(account=account, data=data)
    assert "不是本户成员" in str(refused.value)
    assert not Registration.objects.exists()


def test_ids_and_phones_are_read_as_people_type_them(world):
    # given an ID number in full-width digits with a lower-case x and a phone with dashes
    typed_id = GRANDMA_ID.lower().translate(str.maketrans("0123456789x", "０１２３４５６７８９ｘ"))
    account = account_for_phone(phone="13800001111")
    # when
    registration = _add_grandma(account, id_number=typed_id, phone="178-3401-9904")
    # then they are stored normalised, and confirming writes the register's own forms
    member = registration.members.get()
    assert member.id_number_masked.endswith(GRANDMA_ID[-4:])
    assert member.phone_masked == "178****9904"
    registration_confirm(by=world.users["gavin"], registration=registration)
    grandma = Person.objects.get(name="张奶奶")
    assert grandma.phone_masked == "178****9904"
    assert grandma.id_number_masked == member.id_number_masked
