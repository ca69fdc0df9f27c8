"""The register: registering and changing venues by hand and through the API, what each role sees."""

import json
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from wangge.accounts.models import RoleAssignment, User
from wangge.core.origin import Origin
from wangge.core.roles import Action, Role
from wangge.venues.models import INSPECT, EventKind, Venue, VenueKind
from wangge.venues.services.register import VenueData, venue_create, venue_update
from wangge.venues.services.staff import venue_staff_add


def _data(world, **changes) -> VenueData:
    fields = {
        "name": "好邻居超市",
        "kind": VenueKind.objects.get(name="商超"),
        "grid": world.grid_b,
        "address": "阳光路8号",
        "uscc": "91440300708461136T",
        "responsible_name": "李经理",
        "responsible_phone": "178-3401-9904",
        "staff_count": 6,
    }
    return VenueData(**{**fields, **changes})


@pytest.fixture
def inspector(world) -> User:
    user = User.objects.create_user(username="ivy", password="x", must_change_password=False)
    RoleAssignment.objects.create(user=user, role=Role.INSPECTOR, community=world.east)
    return user


def test_a_venue_is_registered_with_its_phone_parsed_and_masked_and_a_timeline(world):
    venue = venue_create(by=world.users["carol"], data=_data(world))
    assert venue.responsible_phone == "17834019904"
    assert venue.responsible_phone_masked == "178****9904"
    assert venue.status == "open"
    assert list(venue.events.values_list("kind", flat=True)) == [EventKind.CREATED]


def test_a_full_width_lower_case_uscc_is_stored_normalised(world):
    venue = venue_create(
        by=world.users["carol"], data=_data(world, uscc="９１４４０３００７０８４６１１３６ｔ")
    )
    assert venue.uscc == "91440300708461136T"


def test_a_uscc_failing_its_check_names_the_field_and_writes_nothing(world):
    with pytest.raises(ValidationError) as caught:
        venue_create(by=world.users["carol"], data=_data(world, uscc="91330106MA27XF6E0T"))
    assert "91330106MA27XF6E0T" in caught.value.message_dict["uscc"][0]
    assert not Venue.objects.exists()


def test_one_uscc_belongs_to_one_venue(world):
    venue_create(by=world.users["carol"], data=_data(world))
    with pytest.raises(ValidationError, match="另一场所"):
        venue_create(by=world.users["carol"], data=_data(world, name="另一家"))


def test_an_update_records_the_changed_fields_on_the_timeline(world):
    venue = venue_create(by=world.users["carol"], data=_data(world))
    venue_update(by=world.users["carol"], venue_id=venue.pk, data=_data(world, staff_count=9))
    event = venue.events.get(kind=EventKind.UPDATED)
    assert set(event.changes) == {"staff_count"}
    venue_update(by=world.users["carol"], venue_id=venue.pk, data=_data(world, staff_count=9))
    assert venue.events.filter(kind=EventKind.UPDATED).count() == 1


def test_staff_are_linked_to_a_resident_the_adder_may_see_by_phone(world):
    venue = venue_create(by=world.users["carol"], data=_data(world))
    member = venue_staff_add(
        by=world.users["carol"],
        venue=venue,
        name="张三",
        phone="138 0000 1111",
        origin=Origin.SYSTEM,
    )
    assert member.person == world.persons["zhang_san"]
    stranger = venue_staff_add(
        by=world.users["bella"], venue=venue, name="张三", phone="13800001111", origin=Origin.SYSTEM
    )
    assert stranger.person is None  # Zhang San lives in grid A, not in Bella's grid B


def test_grid_workers_see_their_grids_venues_and_inspectors_their_areas_venues_only(
    world, inspector
):
    in_b = venue_create(by=world.users["carol"], data=_data(world))
    in_d = venue_create(
        by=world.users["alice"], data=_data(world, name="江景药房", grid=world.grid_d, uscc="")
    )
    assert list(Venue.objects.restrict(world.users["bella"])) == [in_b]
    assert list(Venue.objects.restrict(world.users["gavin"])) == []
    assert list(Venue.objects.restrict(inspector)) == [in_b]
    assert list(Venue.objects.restrict(inspector, INSPECT)) == [in_b]
    assert not Venue.objects.restrict(inspector, Action.EDIT).exists()
    assert set(Venue.objects.restrict(world.users["alice"])) == {in_b, in_d}
    # an inspector sees no register
    from wangge.people.models import Person

    assert not Person.objects.restrict(inspector).exists()


def test_the_pages_list_show_and_edit_venues(client, world, inspector):
    venue = venue_create(by=world.users["carol"], data=_data(world))
    client.force_login(inspector)
    listing = client.get(reverse("venues:index"), {"q": "好邻居"})
    assert "好邻居超市" in listing.content.decode()
    page = client.get(reverse("venues:detail", args=[venue.pk])).content.decode()
    assert "178****9904" in page and "17834019904" not in page
    assert client.get(reverse("venues:edit", args=[venue.pk])).status_code == 404
    client.force_login(world.users["carol"])
    answer = client.post(
        reverse("venues:edit", args=[venue.pk]),
        {
            "name": "好邻居超市",
            "kind": venue.kind_id,
            "grid": world.grid_b.pk,
            "uscc": "123",
            "staff_count": 1,
        },
    )
    assert answer.status_code == 422 and "18" in answer.content.decode()


def test_the_api_registers_patches_and_scopes_venues(api_client_for, world):
    carol = api_client_for(world.users["carol"])
    kind = VenueKind.objects.get(name="药店")
    made = carol.post(
        "/api/venues/venues/",
        {
            "name": "仁心药房",
            "kind": kind.pk,
            "grid": world.grid_a.pk,
            "responsible_phone": "13912345678",
        },
        format="json",
    )
    assert made.status_code == 201, made.json()
    assert made.json()["responsible_phone_masked"] == "139****5678"
    pk = made.json()["id"]
    patched = carol.patch(f"/api/venues/venues/{pk}/", {"staff_count": 4}, format="json")
    assert patched.status_code == 200 and patched.json()["staff_count"] == 4
    assert patched.json()["name"] == "仁心药房"
    bella = api_client_for(world.users["bella"])
    assert bella.get(f"/api/venues/venues/{pk}/").status_code == 404
    assert bella.get("/api/venues/venues/").json()["count"] == 0
    refused = bella.post(
        "/api/venues/venues/",
        {"name": "x", "kind": kind.pk, "grid": world.grid_a.pk},
        format="json",
    )
    assert refused.status_code == 400


def test_a_tile_server_is_allowed_by_the_content_security_policy_by_its_origin():
    from wangge.settings import _tile_source

    assert _tile_source("") == []
    assert _tile_source("https://t{s}.tianditu.gov.cn/DataServer?T=vec_w&x={x}&y={y}&l={z}") == [
        "https://*.tianditu.gov.cn"
    ]
    assert _tile_source("http://tiles.example.cn/{z}/{x}/{y}.png") == ["http://tiles.example.cn"]


def test_the_form_map_shows_the_communitys_placed_venues_and_none_of_another(client, world):
    from decimal import Decimal

    near = venue_create(
        by=world.users["alice"],
        data=_data(world, latitude=Decimal("29.29"), longitude=Decimal("120.24")),
    )
    venue_create(
        by=world.users["alice"],
        data=_data(
            world,
            name="江景药房",
            grid=world.grid_d,
            uscc="",
            latitude=Decimal("29.3"),
            longitude=Decimal("120.2"),
        ),
    )
    here = venue_create(by=world.users["alice"], data=_data(world, name="小卖部", uscc=""))
    client.force_login(world.users["carol"])
    page = client.get(reverse("venues:edit", args=[here.pk])).content.decode()
    points = json.loads(re.search(r'id="venue-points"[^>]*>(.*?)</script>', page).group(1))
    assert points == [{"name": near.name, "lat": 29.29, "lng": 120.24}]


def test_an_administrator_adds_a_kind_and_dates_new_card_rules_in_the_admin(client, world):
    from wangge.venues.models import CardRules

    admin = world.users["admin"]
    admin.is_superuser = admin.is_staff = True
    admin.save()
    client.force_login(admin)
    answer = client.post(
        "/admin/venues/venuekind/add/",
        {
            "name": "网吧",
            "synonyms": '["网咖"]',
            "order": 20,
            "checklist-TOTAL_FORMS": 1,
            "checklist-INITIAL_FORMS": 0,
            "checklist-0-text": "扫码/亮码",
            "checklist-0-order": 0,
            "checklist-0-active": "on",
        },
    )
    assert answer.status_code == 302 and answer.url == "/admin/venues/venuekind/"
    assert list(VenueKind.objects.get(name="网吧").checklist.values_list("text", flat=True)) == [
        "扫码/亮码"
    ]
    client.post(
        "/admin/venues/cardrules/add/",
        {
            "street": world.street.pk,
            "valid_from": "2026-12-01",
            "yellow_days": 5,
            "repeat_days": 30,
        },
    )
    rules = CardRules.objects.get(street=world.street)
    assert rules.yellow_days == 5 and rules.created_by == world.users["admin"]
