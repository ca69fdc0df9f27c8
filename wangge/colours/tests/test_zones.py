"""三区 and area risk colours: declaring and lifting zones (history kept), which zone a household
lies in (the checkpoints' contract), area colours with criteria and history, all scoped."""

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from wangge.colours.area_colours import area_colour_end, area_colour_set
from wangge.colours.zones import zone_declare, zone_lift
from wangge.regions.models import AreaColour, Compound, Zone
from wangge.regions.zones import household_zone, lockdown_household_ids


def declare(world, kind: str = "lockdown", *, compounds=(), buildings=(), by: str = "alice", **kw):
    return zone_declare(
        by=world.users[by],
        street=world.street,
        kind=kind,
        name=f"{kind} 区",
        reason="出现阳性病例",
        compounds=compounds,
        buildings=buildings,
        **kw,
    )


def sunny(world) -> Compound:
    return world.households["a"].building.compound


def test_a_compound_zone_covers_all_its_households(world):
    declare(world, compounds=[sunny(world)])

    assert household_zone(world.households["a"].pk) == "lockdown"
    assert household_zone(world.households["b"].pk) == "lockdown"
    assert household_zone(world.households["d"].pk) is None


def test_the_most_severe_zone_counts(world):
    declare(world, "prevention", compounds=[sunny(world)])
    declare(world, "lockdown", buildings=[world.households["a"].building])

    assert household_zone(world.households["a"].pk) == "lockdown"
    assert household_zone(world.households["b"].pk) == "prevention"


def test_lockdown_households_in_one_query(world, django_assert_num_queries):
    declare(world, "lockdown", buildings=[world.households["a1"].building])
    declare(world, "control", compounds=[sunny(world)])
    ids = [h.pk for h in world.households.values()]

    with django_assert_num_queries(1):
        found = lockdown_household_ids(ids)

    assert found == {world.households["a1"].pk}
    assert lockdown_household_ids([]) == set()


@time_machine.travel(datetime(2026, 3, 1, 15, 30, tzinfo=UTC), tick=False)  # 23:30 in Shanghai
def test_a_zone_is_in_force_from_its_start_until_lifted(world):
    later = timezone.now() + timedelta(hours=2)
    declare(world, buildings=[world.households["a"].building], starts_at=later)
    household = world.households["a"].pk

    assert household_zone(household) is None
    assert household_zone(household, at=later + timedelta(minutes=1)) == "lockdown"


@time_machine.travel(datetime(2026, 3, 1, 16, 1, tzinfo=UTC), tick=False)
def test_lifting_keeps_the_history(world):
    started = timezone.now() - timedelta(days=3)
    zone = declare(world, buildings=[world.households["a"].building], starts_at=started)
    household = world.households["a"].pk

    with pytest.raises(ValidationError):
        zone_lift(by=world.users["alice"], zone=zone, reason="")
    zone_lift(by=world.users["alice"], zone=zone, reason="连续7天无新增")

    zone.refresh_from_db()
    assert zone.lifted_at is not None and zone.lift_reason == "连续7天无新增"
    assert household_zone(household) is None
    assert household_zone(household, at=started + timedelta(days=1)) == "lockdown"
    with pytest.raises(ValidationError):
        zone_lift(by=world.users["alice"], zone=zone, reason="again")


def test_only_the_street_command_declares_and_only_its_own_areas(world):
    with pytest.raises(PermissionDenied):
        declare(world, compounds=[sunny(world)], by="carol")
    with pytest.raises(ValidationError) as caught:
        declare(world)
    assert "areas" in caught.value.message_dict


def test_the_zone_list_is_scoped(client, world):
    east = declare(world, compounds=[sunny(world)])
    west = declare(world, "control", buildings=[world.households["d"].building])

    client.force_login(world.users["bella"])
    page = client.get(reverse("colours:zones"))

    assert east.name in page.text and west.name not in page.text
    assert client.get(reverse("colours:zone", args=[west.pk])).status_code == 404
    assert "划定区域" not in page.text


def test_declaring_and_lifting_through_the_pages(client, world):
    client.force_login(world.users["alice"])
    url = reverse("colours:zone_new")

    refused = client.post(url, {"kind": "lockdown", "name": "阳光花园封控区", "reason": ""})
    saved = client.post(
        url,
        {
            "kind": "lockdown",
            "name": "阳光花园封控区",
            "reason": "3幢出现阳性",
            "compounds": [sunny(world).pk],
        },
    )

    assert refused.status_code == 422
    assert saved.status_code == 302
    zone = Zone.objects.get()
    assert zone.declared_by == world.users["alice"]
    lift = client.post(reverse("colours:zone", args=[zone.pk]), {"reason": "解封"})
    assert lift.status_code == 302
    zone.refresh_from_db()
    assert zone.lifted_by == world.users["alice"]
    client.force_login(world.users["carol"])
    assert client.get(url).status_code == 403


def test_zones_over_the_api(api_client_for, world):
    body = {
        "street": world.street.pk,
        "kind": "control",
        "name": "管控区",
        "reason": "密接居住",
        "buildings": [world.households["b"].building.pk],
    }

    assert (
        api_client_for(world.users["carol"])
        .post("/api/colours/zones/", body, format="json")
        .status_code
        == 403
    )
    alice = api_client_for(world.users["alice"])
    created = alice.post("/api/colours/zones/", body, format="json")
    assert created.status_code == 201 and created.json()["in_force"] is True

    assert api_client_for(world.users["bella"]).get("/api/colours/zones/").json()["count"] == 1
    assert api_client_for(world.users["gavin"]).get("/api/colours/zones/").json()["count"] == 0
    lifted = alice.post(
        f"/api/colours/zones/{created.json()['id']}/lift/", {"reason": "解除"}, format="json"
    )
    assert lifted.json()["in_force"] is False


@time_machine.travel(datetime(2026, 3, 1, 16, 1, tzinfo=UTC), tick=False)  # 00:01 in Shanghai
def test_an_area_colour_replaces_the_previous_one(world):
    alice = world.users["alice"]
    first = area_colour_set(by=alice, grid=world.grid_a, colour="yellow", criteria="出租房集中")
    second = area_colour_set(by=alice, grid=world.grid_a, colour="red", criteria="出现病例")
    area_colour_set(by=alice, compound=sunny(world), colour="blue", criteria="空巢老人多")

    first.refresh_from_db()
    assert first.ended_at is not None and second.ended_at is None
    assert AreaColour.objects.current().count() == 2
    assert second.set_on == date(2026, 3, 2)

    area_colour_end(by=alice, area_colour=second)
    assert AreaColour.objects.current().count() == 1


def test_area_colours_need_the_street_command_and_one_area(world):
    with pytest.raises(PermissionDenied):
        area_colour_set(by=world.users["carol"], grid=world.grid_a, colour="red", criteria="x")
    with pytest.raises(ValidationError):
        area_colour_set(by=world.users["alice"], colour="red", criteria="x")
    with pytest.raises(ValidationError):
        area_colour_set(by=world.users["alice"], grid=world.grid_a, colour="purple", criteria="x")


def test_the_area_colour_list_and_chart_are_scoped(client, world):
    alice = world.users["alice"]
    area_colour_set(by=alice, grid=world.grid_a, colour="red", criteria="出现病例")
    area_colour_set(by=alice, grid=world.grid_d, colour="green", criteria="平稳")

    client.force_login(world.users["carol"])
    page = client.get(reverse("colours:areas"))

    assert page.status_code == 200
    assert page.context["chart"]["data"] == [1, 0, 0, 0, 0]
    assert "平稳" not in page.text
    api = client.get("/api/colours/area-colours/?current=true").json()
    assert [row["colour"] for row in api["results"]] == ["red"]
