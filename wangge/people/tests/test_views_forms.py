"""Person create and edit forms: service validation next to the fields, 422, nothing written."""

from django.urls import reverse

from conftest import make_id_number
from wangge.core.models import AuditEntry
from wangge.people.models import Person, Tag


def create_url(household) -> str:
    return reverse("people:person_create", args=[household.pk])


def edit_url(person) -> str:
    return reverse("people:person_edit", args=[person.pk])


def form_data(**overrides) -> dict:
    data = {
        "name": "陈七",
        "id_type": "resident",
        "id_number": make_id_number(40),
        "phone": "13512345678",
        "residence_type": "renting",
        "relation": "tenant",
    }
    data.update(overrides)
    return data


def wrong_check_digit(number: str) -> str:
    return number[:17] + ("0" if number[17] != "0" else "1")


def test_grid_worker_adds_a_person_to_a_household(client, world):
    household = world.households["a"]
    client.force_login(world.users["gavin"])
    party = Tag.objects.get(code="party_member")

    response = client.post(create_url(household), form_data(tags=[party.pk]))

    person = Person.objects.get(name="陈七")
    assert response.status_code == 302
    assert response["Location"] == reverse("people:person_detail", args=[person.pk])
    assert (person.household, person.relation, person.sex) == (household, "tenant", "M")
    assert list(person.tags.all()) == [party]
    assert AuditEntry.objects.filter(action="create", target_id=str(person.pk)).exists()


def test_bad_check_digit_is_shown_next_to_the_id_field_and_nothing_is_written(client, world):
    client.force_login(world.users["gavin"])
    before = Person.objects.count()

    response = client.post(
        create_url(world.households["a"]),
        form_data(id_number=wrong_check_digit(make_id_number(40))),
    )

    assert response.status_code == 422
    assert 'data-testid="error-id_number"' in response.text
    assert "证件号码校验位错误 / ID number check digit is wrong" in response.text
    assert Person.objects.count() == before
    assert not AuditEntry.objects.filter(action="create").exists()


def test_missing_name_and_unreadable_phone_are_reported(client, world):
    client.force_login(world.users["gavin"])

    no_name = client.post(create_url(world.households["a"]), form_data(name=" "))
    bad_phone = client.post(create_url(world.households["a"]), form_data(phone="12345"))

    assert no_name.status_code == 422
    assert "请填写姓名 / name is required" in no_name.text
    assert bad_phone.status_code == 422
    assert 'data-testid="error-phone"' in bad_phone.text
    assert not Person.objects.filter(name="陈七").exists()


def test_an_id_number_already_registered_is_rejected(client, world):
    client.force_login(world.users["gavin"])

    response = client.post(
        create_url(world.households["a"]),
        form_data(id_number=world.persons["zhao_liu"].id_number),
    )

    assert response.status_code == 422
    assert "this ID number is already registered" in response.text


def test_htmx_form_answers_422_with_the_form_and_204_redirect_on_success(client, world):
    client.force_login(world.users["gavin"])
    url = create_url(world.households["a"])

    bad = client.post(url, form_data(id_number="123"), HTTP_HX_REQUEST="true")
    good = client.post(url, form_data(), HTTP_HX_REQUEST="true")

    assert bad.status_code == 422
    assert 'id="person-form"' in bad.text
    assert good.status_code == 204
    assert good["HX-Redirect"].startswith("/people/")


def test_edit_keeps_the_id_number_when_left_blank_and_audits_the_change(client, world):
    zhang = world.persons["zhang_san"]
    client.force_login(world.users["gavin"])

    page = client.get(edit_url(zhang))
    response = client.post(
        edit_url(zhang),
        form_data(name="张三", id_number="", phone="", relation="head", ethnicity="汉族"),
    )

    assert zhang.id_number not in page.text
    assert zhang.id_number_masked in page.text
    assert response.status_code == 302
    zhang.refresh_from_db()
    assert zhang.id_number == world.persons["zhang_san"].id_number
    assert zhang.phone == "13800001111"
    assert zhang.ethnicity == "汉族"
    entry = AuditEntry.objects.get(action="update", target_id=str(zhang.pk))
    assert entry.changes["ethnicity"] == ["", "汉族"]
    assert "id_number" not in entry.changes


def test_edit_can_remove_the_phone(client, world):
    zhang = world.persons["zhang_san"]
    client.force_login(world.users["gavin"])

    client.post(edit_url(zhang), form_data(name="张三", id_number="", phone="", clear_phone="on"))

    zhang.refresh_from_db()
    assert zhang.phone_masked == ""


def test_edit_with_a_bad_id_number_changes_nothing(client, world):
    zhang = world.persons["zhang_san"]
    client.force_login(world.users["gavin"])

    response = client.post(
        edit_url(zhang), form_data(name="张三丰", id_number=wrong_check_digit(zhang.id_number))
    )

    assert response.status_code == 422
    assert "证件号码校验位错误 / ID number check digit is wrong" in response.text
    zhang.refresh_from_db()
    assert zhang.name == "张三"
    assert not AuditEntry.objects.filter(action="update").exists()


def test_tracer_without_edit_gets_403_on_forms(client, world):
    client.force_login(world.users["tracy"])
    zhang = world.persons["zhang_san"]

    assert client.get(edit_url(zhang)).status_code == 403
    assert client.post(edit_url(zhang), form_data(name="改名")).status_code == 403
    assert client.post(create_url(world.households["a"]), form_data()).status_code == 403
    zhang.refresh_from_db()
    assert zhang.name == "张三"
    assert not Person.objects.filter(name="陈七").exists()


def test_grid_worker_cannot_edit_or_add_in_the_next_grid(client, world):
    client.force_login(world.users["gavin"])

    edit = client.post(edit_url(world.persons["wang_wu"]), form_data(name="改名"))
    create = client.post(create_url(world.households["b"]), form_data())

    assert (edit.status_code, create.status_code) == (404, 404)
    assert not Person.objects.filter(name__in=["改名", "陈七"]).exists()
