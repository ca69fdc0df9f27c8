"""Household edits through the page: the form, the audit entry, and who may edit (the service's
own rules are tested in people/tests/test_household_update.py)."""

from django.urls import reverse

from wangge.core.models import AuditEntry
from wangge.people.services import household_update
from wangge.regions.models import Household


def edit_url(household) -> str:
    return reverse("regions:household_edit", args=[household.pk])


def test_grid_worker_makes_a_household_a_rental_with_a_landlord(client, world):
    # given: 李四 (grid A1) lets 张三's flat (grid A)
    household, landlord = world.households["a"], world.persons["li_si"]
    client.force_login(world.users["gavin"])

    # when
    response = client.post(
        edit_url(household),
        {"kind": "rental", "landlord_id_number": landlord.id_number, "note": "2026年起出租"},
    )

    # then
    assert response.status_code == 302
    household.refresh_from_db()
    assert (household.kind, household.landlord, household.note) == (
        "rental",
        landlord,
        "2026年起出租",
    )
    entry = AuditEntry.objects.get(action="update", target_type="regions.household")
    assert entry.changes["kind"] == ["owner", "rental"]
    assert entry.changes["landlord"] == [None, "李四"]


def test_htmx_save_answers_with_a_redirect_header(client, world):
    client.force_login(world.users["gavin"])

    response = client.post(
        edit_url(world.households["a"]), {"kind": "vacant"}, HTTP_HX_REQUEST="true"
    )

    assert response.status_code == 204
    assert response["HX-Redirect"] == reverse(
        "regions:household_detail", args=[world.households["a"].pk]
    )


def test_landlord_outside_the_editors_area_is_rejected_and_nothing_changes(client, world):
    client.force_login(world.users["gavin"])
    outsider = world.persons["zhao_liu"]  # grid D, 西社区

    response = client.post(
        edit_url(world.households["a"]),
        {"kind": "rental", "landlord_id_number": outsider.id_number},
    )

    assert response.status_code == 422
    assert "no person with this ID number in your area" in response.text
    assert Household.objects.get(pk=world.households["a"].pk).kind == "owner"
    assert not AuditEntry.objects.filter(target_type="regions.household").exists()


def test_landlord_id_with_a_wrong_check_digit_is_rejected(client, world):
    client.force_login(world.users["gavin"])
    number = world.persons["li_si"].id_number
    wrong = number[:17] + ("0" if number[17] != "0" else "1")

    response = client.post(
        edit_url(world.households["a"]), {"kind": "rental", "landlord_id_number": wrong}
    )

    assert response.status_code == 422
    assert "证件号码校验位错误 / ID number check digit is wrong" in response.text


def test_owner_occupied_household_cannot_have_a_landlord(client, world):
    client.force_login(world.users["gavin"])

    response = client.post(
        edit_url(world.households["a"]),
        {"kind": "owner", "landlord_id_number": world.persons["li_si"].id_number},
    )

    assert response.status_code == 422
    assert "only a rental or a shop-front has a landlord" in response.text


def test_clearing_the_landlord(client, world):
    household = world.households["a"]
    household_update(
        by=world.users["gavin"], household=household, kind="rental", landlord=world.persons["li_si"]
    )
    client.force_login(world.users["gavin"])

    client.post(edit_url(household), {"kind": "rental", "clear_landlord": "on"})

    household.refresh_from_db()
    assert household.landlord is None


def test_tracer_may_view_but_not_edit_a_household(client, world):
    client.force_login(world.users["tracy"])
    household = world.households["a"]

    page = client.get(reverse("regions:household_detail", args=[household.pk]))
    assert page.status_code == 200
    assert 'data-testid="edit-household"' not in page.text
    assert 'data-testid="add-person"' not in page.text
    assert client.get(edit_url(household)).status_code == 403
    assert client.post(edit_url(household), {"kind": "vacant"}).status_code == 403
    assert Household.objects.get(pk=household.pk).kind == "owner"


def test_grid_worker_cannot_edit_the_next_grids_household(client, world):
    client.force_login(world.users["gavin"])

    response = client.post(edit_url(world.households["b"]), {"kind": "vacant"})

    assert response.status_code == 404
    assert Household.objects.get(pk=world.households["b"].pk).kind == "owner"
