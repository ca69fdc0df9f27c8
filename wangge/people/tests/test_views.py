"""The person page: masking, reveal, status, residence verification, audit trail, scope."""

import pytest
from django.urls import reverse

from wangge.core.models import AuditEntry
from wangge.core.roles import ROLE_ACTIONS, Action, Role
from wangge.people.models import PersonStatusChange


def detail(person) -> str:
    return reverse("people:person_detail", args=[person.pk])


def reveal(person, field: str = "id_number") -> str:
    return reverse("people:person_reveal", args=[person.pk, field])


def test_person_page_shows_masked_identifiers_only(client, world):
    zhang = world.persons["zhang_san"]
    client.force_login(world.users["gavin"])

    response = client.get(detail(zhang))

    assert response.status_code == 200
    assert zhang.id_number_masked in response.text
    assert "*" in zhang.id_number_masked
    assert zhang.id_number not in response.text
    assert zhang.phone_masked in response.text
    assert "13800001111" not in response.text
    assert "党员" in response.text
    assert "1980-05-17" in response.text


@pytest.mark.parametrize(
    ("persona", "key"),
    [("gavin", "wang_wu"), ("bella", "zhang_san"), ("carol", "zhao_liu"), ("dora", "zhang_san")],
)
def test_person_outside_scope_is_404(client, world, persona, key):
    client.force_login(world.users[persona])

    assert client.get(detail(world.persons[key])).status_code == 404


def test_checkpoint_staff_cannot_open_a_person(client, world):
    client.force_login(world.users["kim"])

    assert client.get(detail(world.persons["zhang_san"])).status_code == 403


def test_doctor_opens_her_assigned_person_without_household_link(client, world):
    zhao = world.persons["zhao_liu"]
    client.force_login(world.users["dora"])

    response = client.get(detail(zhao))

    assert response.status_code == 200
    household_url = reverse("regions:household_detail", args=[zhao.household_id])
    assert household_url not in response.text


def test_reveal_shows_the_full_id_and_writes_an_audit_entry(client, world):
    zhang = world.persons["zhang_san"]
    client.force_login(world.users["gavin"])

    response = client.post(reveal(zhang), {"id_number-reason": "入户核查"}, HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    assert zhang.id_number in response.text
    assert response["Cache-Control"].startswith("max-age=0")
    entry = AuditEntry.objects.get(action="reveal")
    assert (entry.actor, entry.target_id, entry.reason) == (
        world.users["gavin"],
        str(zhang.pk),
        "入户核查",
    )
    assert entry.changes == {"field": "id_number"}


def test_reveal_of_a_phone_without_htmx_renders_the_page(client, world):
    zhang = world.persons["zhang_san"]
    client.force_login(world.users["gavin"])

    response = client.post(reveal(zhang, "phone"), {"phone-reason": "联系本人"})

    assert response.status_code == 200
    assert "13800001111" in response.text
    assert zhang.id_number not in response.text


def test_reveal_needs_a_reason(client, world):
    client.force_login(world.users["gavin"])

    response = client.post(reveal(world.persons["zhang_san"]), {}, HTTP_HX_REQUEST="true")

    assert response.status_code == 422
    assert "请选择查看理由 / choose a reason" in response.text
    assert world.persons["zhang_san"].id_number not in response.text
    assert not AuditEntry.objects.filter(action="reveal").exists()


def test_reveal_outside_scope_is_404_and_not_audited(client, world):
    client.force_login(world.users["bella"])

    response = client.post(reveal(world.persons["zhang_san"]), {"id_number-reason": "入户核查"})

    assert response.status_code == 404
    assert not AuditEntry.objects.filter(action="reveal").exists()


def test_reveal_of_an_unknown_field_is_404(client, world):
    client.force_login(world.users["gavin"])

    response = client.post(reveal(world.persons["zhang_san"], "name"), {"name-reason": "入户核查"})

    assert response.status_code == 404


def test_user_without_reveal_sees_no_button_and_cannot_reveal(client, world, monkeypatch):
    # given: grid workers lose the reveal permission
    monkeypatch.setitem(ROLE_ACTIONS, Role.GRID_WORKER, frozenset({Action.VIEW, Action.EDIT}))
    zhang = world.persons["zhang_san"]
    client.force_login(world.users["gavin"])

    # when
    page = client.get(detail(zhang))
    response = client.post(reveal(zhang), {"id_number-reason": "入户核查"})

    # then
    assert 'data-testid="reveal-id_number"' not in page.text
    assert response.status_code == 403
    assert zhang.id_number not in response.text
    assert not AuditEntry.objects.filter(action="reveal").exists()


def test_reveal_button_is_shown_to_allowed_users(client, world):
    client.force_login(world.users["gavin"])

    page = client.get(detail(world.persons["zhang_san"]))

    assert 'data-testid="reveal-id_number"' in page.text
    assert 'data-testid="reveal-phone"' in page.text


def test_status_change_is_recorded_with_history(client, world):
    zhang = world.persons["zhang_san"]
    client.force_login(world.users["gavin"])

    response = client.post(
        reverse("people:person_status", args=[zhang.pk]), {"status": "away", "note": "外出务工"}
    )

    assert response.status_code == 302
    zhang.refresh_from_db()
    assert zhang.status == "away"
    change = PersonStatusChange.objects.get(person=zhang, status="away")
    assert (change.by, change.note) == (world.users["gavin"], "外出务工")
    page = client.get(detail(zhang))
    assert "外出务工" in page.text


def test_status_form_rejects_an_unknown_status(client, world):
    zhang = world.persons["zhang_san"]
    client.force_login(world.users["gavin"])

    response = client.post(reverse("people:person_status", args=[zhang.pk]), {"status": "gone"})

    assert response.status_code == 422
    zhang.refresh_from_db()
    assert zhang.status == "present"


def test_confirming_residence_records_who_and_when(client, world):
    zhang = world.persons["zhang_san"]
    client.force_login(world.users["gavin"])

    client.post(reverse("people:person_verify", args=[zhang.pk]))

    zhang.refresh_from_db()
    assert zhang.residence_verified_by == world.users["gavin"]
    assert zhang.residence_verified_at is not None
    page = client.get(detail(zhang))
    assert "确认在住" in page.text
    assert "Gavin" in page.text


def test_tracer_cannot_change_status_or_verify(client, world):
    zhang = world.persons["zhang_san"]
    client.force_login(world.users["tracy"])

    page = client.get(detail(zhang))
    status = client.post(reverse("people:person_status", args=[zhang.pk]), {"status": "away"})
    verify = client.post(reverse("people:person_verify", args=[zhang.pk]))

    assert 'data-testid="verify"' not in page.text
    assert 'data-testid="edit-person"' not in page.text
    assert (status.status_code, verify.status_code) == (403, 403)
    zhang.refresh_from_db()
    assert (zhang.status, zhang.residence_verified_at) == ("present", None)


def test_audit_trail_is_shown_to_commanders_not_to_grid_workers(client, world):
    zhang = world.persons["zhang_san"]
    client.force_login(world.users["gavin"])
    client.post(reveal(zhang), {"id_number-reason": "协查核实"})

    gavin_view = client.get(detail(zhang))
    client.force_login(world.users["alice"])
    alice_view = client.get(detail(zhang))

    assert 'data-testid="audit-trail"' not in gavin_view.text
    assert 'data-testid="audit-trail"' in alice_view.text
    assert "协查核实" in alice_view.text
