"""The registry's areas and dwellings over the API, persona by persona; authentication; the schema."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from rest_framework.test import APIClient

from wangge.core.api import Pagination
from wangge.core.models import AuditEntry
from wangge.regions.models import Household


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return sorted(row["id"] for row in response.json()["results"])


def pks(*objects) -> list[int]:
    return sorted(obj.pk for obj in objects)


def household_url(household: Household) -> str:
    return f"/api/households/{household.pk}/"


# --- scoping -------------------------------------------------------------------------------------


def test_grid_worker_sees_only_his_grid_and_its_small_grid(world, api_client_for):
    gavin = api_client_for(world.users["gavin"])
    h = world.households

    assert ids(gavin.get("/api/households/")) == pks(h["a"], h["a1"])
    assert ids(gavin.get("/api/grids/")) == pks(world.grid_a, world.grid_a1)
    assert ids(gavin.get("/api/buildings/")) == pks(h["a"].building, h["a1"].building)
    assert ids(gavin.get("/api/communities/")) == pks(world.east)
    assert [row["name"] for row in gavin.get("/api/compounds/").json()["results"]] == ["阳光花园"]


def test_grid_worker_gets_404_for_the_next_grids_household(world, api_client_for):
    gavin = api_client_for(world.users["gavin"])
    household_b = world.households["b"]

    assert gavin.get(household_url(household_b)).status_code == 404
    assert gavin.get(f"/api/grids/{world.grid_b.pk}/").status_code == 404
    assert gavin.get(f"/api/buildings/{household_b.building_id}/").status_code == 404


def test_community_worker_sees_nothing_of_the_next_community(world, api_client_for):
    carol = api_client_for(world.users["carol"])
    h = world.households

    assert ids(carol.get("/api/communities/")) == pks(world.east)
    assert ids(carol.get("/api/grids/")) == pks(world.grid_a, world.grid_a1, world.grid_b)
    assert ids(carol.get("/api/households/")) == pks(h["a"], h["a1"], h["b"])
    assert [row["name"] for row in carol.get("/api/compounds/").json()["results"]] == ["阳光花园"]
    assert carol.get(f"/api/communities/{world.west.pk}/").status_code == 404
    assert carol.get(household_url(h["d"])).status_code == 404


def test_checkpoint_staff_and_doctor_see_no_areas(world, api_client_for):
    for persona in ("kim", "dora"):
        client = api_client_for(world.users[persona])
        for endpoint in ("communities", "grids", "compounds", "buildings", "households"):
            assert ids(client.get(f"/api/{endpoint}/")) == [], (persona, endpoint)


def test_commander_sees_the_street(world, api_client_for):
    alice = api_client_for(world.users["alice"])

    assert ids(alice.get("/api/communities/")) == pks(world.east, world.west)
    assert len(ids(alice.get("/api/households/"))) == 4


def test_not_found_uses_the_error_format(world, api_client_for):
    response = api_client_for(world.users["gavin"]).get(household_url(world.households["d"]))

    assert response.status_code == 404
    assert list(response.json()) == ["detail"]


# --- household update ------------------------------------------------------------------------------


def test_grid_worker_marks_a_household_as_rental_with_a_landlord(world, api_client_for):
    # given
    household = world.households["a"]
    landlord = world.persons["li_si"]
    # when
    response = api_client_for(world.users["gavin"]).patch(
        household_url(household),
        {"kind": "rental", "landlord": landlord.pk, "note": "整租"},
        format="json",
    )
    # then
    assert response.status_code == 200, response.json()
    assert response.json()["kind"] == "rental"
    assert response.json()["landlord"] == landlord.pk
    household.refresh_from_db()
    assert (household.kind, household.landlord, household.note) == ("rental", landlord, "整租")
    entry = AuditEntry.objects.get(action="update", target_id=str(household.pk))
    assert entry.changes["kind"] == ["owner", "rental"]


def test_household_patch_keeps_what_is_not_sent(world, api_client_for):
    household = world.households["a"]
    Household.objects.filter(pk=household.pk).update(kind="rental", landlord=world.persons["li_si"])

    response = api_client_for(world.users["gavin"]).patch(
        household_url(household), {"note": "两位租客"}, format="json"
    )

    assert response.status_code == 200, response.json()
    household.refresh_from_db()
    assert household.kind == "rental" and household.landlord == world.persons["li_si"]
    assert household.note == "两位租客"


def test_landlord_outside_scope_reads_as_unknown(world, api_client_for):
    household = world.households["a"]

    response = api_client_for(world.users["gavin"]).patch(
        household_url(household),
        {"kind": "rental", "landlord": world.persons["wang_wu"].pk},
        format="json",
    )

    assert response.status_code == 400
    assert list(response.json()) == ["landlord"]
    household.refresh_from_db()
    assert household.kind == "owner" and household.landlord is None


def test_service_rules_come_back_as_400_with_the_field_message(world, api_client_for):
    response = api_client_for(world.users["gavin"]).patch(
        household_url(world.households["a"]),
        {"kind": "owner", "landlord": world.persons["li_si"].pk},
        format="json",
    )

    assert response.status_code == 400
    assert response.json() == {
        "landlord": ["只有出租户或商铺才有房东 / only a rental or a shop-front has a landlord"]
    }


def test_grid_worker_cannot_change_the_next_grids_household(world, api_client_for):
    household = world.households["b"]

    response = api_client_for(world.users["gavin"]).patch(
        household_url(household), {"kind": "vacant"}, format="json"
    )

    assert response.status_code == 404
    household.refresh_from_db()
    assert household.kind == "owner"


def test_viewer_without_edit_gets_403(world, api_client_for):
    response = api_client_for(world.users["tracy"]).patch(
        household_url(world.households["a"]), {"kind": "vacant"}, format="json"
    )

    assert response.status_code == 403
    assert not AuditEntry.objects.exists()


# --- filters and pagination ----------------------------------------------------------------------


def test_household_filters(world, api_client_for):
    alice = api_client_for(world.users["alice"])
    h = world.households
    Household.objects.filter(pk=h["b"].pk).update(kind="vacant")

    assert ids(alice.get("/api/households/", {"grid": world.grid_a.pk})) == pks(h["a"], h["a1"])
    assert ids(alice.get("/api/households/", {"kind": "vacant"})) == pks(h["b"])
    assert ids(alice.get("/api/households/", {"building": h["d"].building_id})) == pks(h["d"])
    assert ids(alice.get("/api/grids/", {"parent": world.grid_a.pk})) == pks(world.grid_a1)
    assert ids(alice.get("/api/grids/", {"community": world.west.pk})) == pks(world.grid_d)
    assert ids(alice.get("/api/compounds/", {"community": world.west.pk})) == pks(
        h["d"].building.compound
    )


def test_page_size_is_capped(world, api_client_for, monkeypatch):
    monkeypatch.setattr(Pagination, "max_page_size", 3)

    response = api_client_for(world.users["alice"]).get("/api/households/", {"page_size": 10_000})

    assert response.json()["count"] == 4
    assert len(response.json()["results"]) == 3


# --- authentication ------------------------------------------------------------------------------


def test_unauthenticated_requests_are_401(world):
    response = APIClient().get("/api/households/")

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_expired_token_is_401(world, api_client_for):
    client = api_client_for(world.users["alice"], expires_in=timedelta(seconds=-1))

    response = client.get("/api/households/")

    assert response.status_code == 401
    assert "expired" in response.json()["detail"]


def test_revoked_token_is_401(world, api_client_for):
    from wangge.accounts.models import ApiToken

    client = api_client_for(world.users["alice"])
    ApiToken.objects.update(revoked_at=timezone.now())

    assert client.get("/api/households/").status_code == 401


# --- schema and docs -----------------------------------------------------------------------------


def test_schema_generates_without_warnings(tmp_path):
    call_command(
        "spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yml")
    )

    schema = (tmp_path / "schema.yml").read_text()
    assert "/api/persons/{id}/reveal/" in schema
    assert "id_number_sealed" not in schema and "id_number_hash" not in schema


@pytest.mark.django_db
def test_swagger_ui_is_served_locally(client, settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }

    page = client.get("/api/docs/").content.decode()

    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in page
    assert "cdn" not in page.lower() and "https://" not in page
