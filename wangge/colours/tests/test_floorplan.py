"""院区疫情防控平面图: the internal plan (colours, all markers, clickable), the notice-board plan
(counts per unit and public markers only, never names, sensitive markers or room colours unless
the street command switched the compound to the per-room version), printing, scoping."""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from wangge.colours.floorplan import INTERNAL, PUBLIC, build_plan
from wangge.colours.overrides import public_plan_switch_lift, public_plan_switch_set
from wangge.colours.services import plan_print
from wangge.core.models import AuditEntry
from wangge.core.origin import Origin
from wangge.people.models import Person, Tag
from wangge.regions.models import Building, Household, MarkerRule
from wangge.regions.tests.colour_fixtures import coloured, near_midnight

__all__ = ["coloured", "near_midnight"]


def sunny(world):
    return world.households["a"].building.compound


def printed(client, world, version: str, paper: str = "a4") -> str:
    url = reverse("colours:plan_svg", args=[sunny(world).pk])
    response = client.get(url, {"version": version, "paper": paper})
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    return response.content.decode()


def names(world) -> list[str]:
    return list(Person.objects.values_list("name", flat=True))


@pytest.fixture
def cared_for(coloured):
    """张三 (a party member) is also on 低保: a sensitive tag with a red heart marker."""
    coloured.persons["zhang_san"].tags.add(Tag.objects.get(code="low_income"))
    return coloured


def test_the_internal_plan_shows_colours_markers_and_links(client, cared_for):
    client.force_login(cared_for.users["alice"])

    page = client.get(reverse("colours:compound", args=[sunny(cared_for).pk]))

    assert page.status_code == 200
    plan = page.context["plan"]
    assert [b.name for b in plan.buildings] == ["1幢", "2幢", "3幢"]
    assert plan.counts == {"red": 0, "orange": 0, "yellow": 0, "green": 3, "white": 0}
    assert 'data-colour="green"' in page.text
    assert "#mk-flag" in page.text and "#mk-heart" in page.text
    household = cared_for.households["a"]
    assert reverse("regions:household_detail", args=[household.pk]) in page.text
    assert not any(name in page.text for name in names(cared_for))


def test_the_notice_board_plan_hides_rooms_colours_and_sensitive_markers(client, cared_for):
    client.force_login(cared_for.users["carol"])

    public = printed(client, cared_for, "public")
    internal = printed(client, cared_for, "internal")

    assert "data-colour" not in public
    assert "#mk-heart" not in public
    assert "#mk-flag" in public  # 党员: whom residents may turn to
    assert "/regions/household/" not in public
    assert not any(name in public for name in names(cared_for))
    assert "data-colour" in internal and "#mk-heart" in internal
    assert not any(name in internal for name in names(cared_for))


def test_a_sensitive_tag_never_reaches_the_notice_board_whatever_its_rule_says(client, cared_for):
    MarkerRule.objects.filter(tag__code="low_income").update(public=True)
    client.force_login(cared_for.users["alice"])

    assert "#mk-heart" not in printed(client, cared_for, "public")


def test_the_street_command_may_switch_a_compound_to_room_colours_until_it_expires(
    near_midnight, client, cared_for
):
    compound = sunny(cared_for)
    with pytest.raises(PermissionDenied):
        public_plan_switch_set(
            by=cared_for.users["carol"],
            compound=compound,
            reason="公示",
            expires_at=timezone.now() + timedelta(days=3),
        )
    public_plan_switch_set(
        by=cared_for.users["alice"],
        compound=compound,
        reason="居民要求公示",
        expires_at=timezone.now() + timedelta(days=3),
    )
    client.force_login(cared_for.users["carol"])

    switched = printed(client, cared_for, "public")

    assert 'data-colour="green"' in switched
    assert "#mk-heart" not in switched
    assert not any(name in switched for name in names(cared_for))
    assert AuditEntry.objects.filter(
        target_type="regions.publicplanswitch", reason="居民要求公示"
    ).exists()
    with time_machine.travel(timezone.now() + timedelta(days=3, minutes=1)):
        client.force_login(cared_for.users["carol"])  # sessions end after 30 idle minutes
        assert "data-colour" not in printed(client, cared_for, "public")


def test_lifting_the_switch(client, cared_for):
    compound = sunny(cared_for)
    alice = cared_for.users["alice"]
    public_plan_switch_set(
        by=alice, compound=compound, reason="公示", expires_at=timezone.now() + timedelta(days=1)
    )

    assert public_plan_switch_lift(by=alice, compound=compound) == 1
    client.force_login(alice)
    assert "data-colour" not in printed(client, cared_for, "public")


def test_the_switch_through_the_page(near_midnight, client, cared_for):
    compound = sunny(cared_for)
    url = reverse("colours:public_switch", args=[compound.pk])
    expires = (timezone.localtime() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")

    client.force_login(cared_for.users["carol"])
    assert client.post(url, {"reason": "x", "expires_at": expires}).status_code == 403
    client.force_login(cared_for.users["alice"])
    assert client.post(url, {"reason": "", "expires_at": expires}).status_code == 422
    assert client.post(url, {"reason": "居民要求", "expires_at": expires}).status_code == 302
    assert "data-colour" in printed(client, cared_for, "public")
    assert client.post(url, {"lift": "1"}).status_code == 302
    assert "data-colour" not in printed(client, cared_for, "public")


def test_printing_is_audited_and_sized(client, coloured):
    client.force_login(coloured.users["gavin"])

    a3 = printed(client, coloured, "internal", "a3")

    assert 'width="420mm" height="297mm"' in a3
    entry = AuditEntry.objects.get(action="export")
    assert entry.actor == coloured.users["gavin"] and entry.changes["plan"] == "internal"


def test_a_print_is_audited_with_the_origin_it_is_given(coloured):
    gavin = coloured.users["gavin"]
    compound = sunny(coloured)

    svg = plan_print(
        by=gavin,
        compound=compound,
        buildings=Building.objects.restrict(gavin).filter(compound=compound),
        version=PUBLIC,
        paper="a4",
        origin=Origin(ip="10.0.0.7", agent="wangge-cli"),
    )

    assert svg.startswith("<svg") and "公示版" in svg
    entry = AuditEntry.objects.get(action="export")
    assert (entry.actor, entry.ip, entry.user_agent) == (gavin, "10.0.0.7", "wangge-cli")
    assert entry.changes == {"plan": PUBLIC, "paper": "a4", "buildings": 2}


def test_each_user_sees_only_the_buildings_in_scope(client, coloured):
    client.force_login(coloured.users["gavin"])
    plan = client.get(reverse("colours:compound", args=[sunny(coloured).pk])).context["plan"]
    assert [b.name for b in plan.buildings] == ["1幢", "2幢"]

    client.force_login(coloured.users["bella"])
    plan = client.get(reverse("colours:compound", args=[sunny(coloured).pk])).context["plan"]
    assert [b.name for b in plan.buildings] == ["3幢"]
    river = coloured.households["d"].building.compound
    assert client.get(reverse("colours:compound", args=[river.pk])).status_code == 404
    svg = reverse("colours:plan_svg", args=[river.pk])
    assert client.get(svg, {"version": "public"}).status_code == 404


def test_a_twenty_storey_three_unit_tower(coloured):
    # given a tower of 3 units × 20 floors × 4 flats
    building = Building.objects.create(
        compound=sunny(coloured), grid=coloured.grid_a, name="8幢", units=3, floors=20
    )
    Household.objects.bulk_create(
        Household(building=building, grid=coloured.grid_a, unit=str(u), floor=f, room=f"{f}{n:02d}")
        for u in (1, 2, 3)
        for f in range(1, 21)
        for n in range(1, 5)
    )

    # when
    plan = build_plan(
        user=coloured.users["alice"],
        compound=sunny(coloured),
        buildings=Building.objects.filter(pk=building.pk),
        version=PUBLIC,
    )

    # then: floors top down, three units of four columns, 1502 in the second column of 15F
    (tower,) = plan.buildings
    assert tower.floors == list(range(20, 0, -1))
    assert [(u.name, u.columns) for u in tower.units] == [("1", 4), ("2", 4), ("3", 4)]
    row = {cell.room: column for column, cell in tower.units[0].rows[15]}
    assert row == {"1501": 0, "1502": 1, "1503": 2, "1504": 3}
    assert tower.counts["white"] == 240
    assert all(
        cell.colour is None for unit in tower.units for r in unit.rows.values() for _, cell in r
    )
    internal = build_plan(
        user=coloured.users["alice"],
        compound=sunny(coloured),
        buildings=Building.objects.filter(pk=building.pk),
        version=INTERNAL,
    )
    assert {
        cell.colour for u in internal.buildings[0].units for r in u.rows.values() for _, cell in r
    } == {"white"}
